// features() returns the stage maps of each family at a non-square input, in both layouts.
import { CROSSFORMER_DEFAULTS, randomCrossFormerWeights, randomSwinV2Weights, randomSwinV1Weights, SWIN_V1_DEFAULTS, SWIN_V2_DEFAULTS, type ModelConfig, type TensorData } from '@swin/core';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/node/index.js';

const H = 64;
const W = 96;
const picture = { width: 120, height: 80, channels: 3 as const, data: new Uint8Array(120 * 80 * 3).map((_, i) => (i * 37) % 251) };

const small = { embed_dim: 16, depths: [1, 1, 2, 1], num_heads: [1, 2, 2, 4], num_classes: 10 };
const cases: { name: string; config: ModelConfig; weights: (c: never, seed: number) => Map<string, TensorData> }[] = [
  { name: 'Swin V1', config: { ...SWIN_V1_DEFAULTS, ...small, img_size: [H, W], window_size: 4 } as ModelConfig, weights: randomSwinV1Weights as never },
  { name: 'Swin V2', config: { ...SWIN_V2_DEFAULTS, ...small, img_size: [H, W], window_size: 4 } as ModelConfig, weights: randomSwinV2Weights as never },
  { name: 'CrossFormer', config: { ...CROSSFORMER_DEFAULTS, ...small, img_size: [H, W], group_size: [4, 4, 4, 4], crs_interval: [4, 2, 1, 1] } as ModelConfig, weights: randomCrossFormerWeights as never },
];

describe('features: stage shapes at a non-square size', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { family: _family, ...overrides } = c.config as unknown as Record<string, unknown>;
      const model = await loadModel(c.weights(c.config as never, 7), { backend: 'reference', config: overrides, inputSize: [H, W] });
      try {
        expect(model.info.family).toBe(c.config.family);
        const nchw = await model.features([picture, picture]);
        const dims = [16, 32, 64, 128];
        expect(nchw.map((t) => t.shape)).toEqual(dims.map((d, i) => [2, d, H / 4 / 2 ** i, W / 4 / 2 ** i]));
        const nhwc = await model.features(picture, { stages: [1, 3], layout: 'NHWC' });
        expect(nhwc.map((t) => t.shape)).toEqual([[1, H / 8, W / 8, 32], [1, H / 32, W / 32, 128]]);
        // the same numbers in both layouts: NHWC [0, y, x, ch] is NCHW [0, ch, y, x]
        const [y, x, ch] = [3, 5, 7];
        expect(nhwc[0]!.data[(y * (W / 8) + x) * 32 + ch]).toBe(nchw[1]!.data[(ch * (H / 8) + y) * (W / 8) + x]);
        expect(Number.isFinite(nchw[3]!.data[0])).toBe(true);
      } finally {
        await model.dispose();
      }
    });
  }
});
