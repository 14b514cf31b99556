import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inferSwinV1Config, mergeSwinV1Config, npyToTensor, parseNpy, reshapeTensor, type SwinV1Config, type TensorData, type WeightMap } from '@swin/core';
import { loadWeights } from '@swin/weights';
import { AttentionProbe } from '../src/attention-probe.js';
import { windowLayout } from '../src/window-layout.js';

// Fixture from tools/reference/make_attention_fixture.py: PyTorch's attention probabilities of
// every block of fixtures/v1_rand_t32_w4 (8x8 then 4x4 tokens, window 4, shift 2 in stage 1's
// second block), plus each token's attention mapped back to picture coordinates.
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '../../..');
const FIXTURE = join(HERE, 'fixtures', 'attention');
const CASE = join(REPO, 'fixtures', 'v1_rand_t32_w4');

const npy = (path: string) => npyToTensor(parseNpy(new Uint8Array(readFileSync(path))));

function fixtureModel(): { weights: WeightMap; config: SwinV1Config } {
  const { weights } = loadWeights(new Uint8Array(readFileSync(join(CASE, 'weights.safetensors'))));
  const { family: _f, ...args } = JSON.parse(readFileSync(join(CASE, 'config.json'), 'utf8')) as Record<string, unknown>;
  return { weights, config: mergeSwinV1Config(inferSwinV1Config(weights), args) };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('attention probe (the explainer) against PyTorch', async () => {
  const model = fixtureModel();
  const probe = await AttentionProbe.create(model.config, model.weights, [32, 32]);
  const input = npy(join(CASE, 'input.npy')) as TensorData<'float32'>;
  const first = reshapeTensor({ ...input, data: (input.data as Float32Array).slice(0, 3 * 32 * 32) }, [1, 3, 32, 32]);
  const maps = await probe.run(first);
  const blocks = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ] as const;

  for (const [stage, block] of blocks) {
    it(`stage ${stage} block ${block}: probabilities and token attention in picture coordinates`, () => {
      const key = `stage${stage}_block${block}`;
      const probs = maps.probs(stage, block);
      const expected = npy(join(FIXTURE, key, 'probs.npy'));
      expect(probs.shape).toEqual(expected.shape);
      expect(maxAbsDiff(probs.data as Float32Array, expected.data as Float32Array)).toBeLessThan(1e-5);

      const layout = windowLayout(model.config, [32, 32], stage, block);
      const { width: W, height: H } = layout.geometry;
      const tokens = npy(join(FIXTURE, key, 'tokens.npy')).data as Float32Array;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const ours = maps.tokenAttention(layout, y, x, 'mean');
          const q = y * W + x;
          expect(maxAbsDiff(ours, tokens.subarray(q * H * W, (q + 1) * H * W))).toBeLessThan(1e-5);
        }
      }
    });
  }
});
