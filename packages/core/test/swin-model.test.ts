import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ShapeError,
  SWIN_V1_DEFAULTS,
  buildSwinV1Graph,
  inferSwinV1Config,
  mergeSwinV1Config,
  randomSwinV1Weights,
  resolveBlockGeometry,
  modelComplexity,
  createReferenceBackend,
  tensor,
  type SwinV1Config,
} from '../src/index.js';
import { expectMissingWeightNamed } from './helpers/model-checks.js';

const tiny = { ...SWIN_V1_DEFAULTS, img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 };

describe('architecture inference', () => {
  it('recovers every inferable argument from the weights', () => {
    const c = { ...tiny, depths: [2, 4, 2], num_heads: [1, 2, 4], mlp_ratio: 2, qkv_bias: false, ape: true, patch_norm: false, num_classes: 0, img_size: 64 };
    const inferred = inferSwinV1Config(randomSwinV1Weights(c, 1));
    expect(inferred).toEqual({ ...c });
  });
  it('infers the training size from a shrunken last-stage window', () => {
    const c = { ...tiny, depths: [2, 2, 2], num_heads: [1, 2, 4] };
    expect(inferSwinV1Config(randomSwinV1Weights(c, 1)).img_size).toBe(32);
  });
  it('lets a config override, and refuses unknown keys by name', () => {
    const w = randomSwinV1Weights(tiny, 1);
    expect(inferSwinV1Config(w, { qk_scale: 0.3, family: 'swin_v1', drop_path_rate: 0.2 }).qk_scale).toBe(0.3);
    expect(() => inferSwinV1Config(w, { window_sise: 7 })).toThrow(ConfigError);
    expect(() => inferSwinV1Config(w, { window_sise: 7 })).toThrow(/unknown config key 'window_sise'/);
    expect(() => mergeSwinV1Config(tiny, { num_heads: [3, 2] })).toThrow(/num_heads\[0\]: expected a divisor of stage 0's 16 channels, found 3/);
  });
});

describe('graph building', () => {
  it('names a missing or misshapen weight', () => {
    expectMissingWeightNamed((w) => buildSwinV1Graph(tiny, w), randomSwinV1Weights(tiny, 1), 'layers.1.blocks.0.mlp.fc2.weight', [32, 128]);
    const w2 = randomSwinV1Weights(tiny, 1);
    w2.set('norm.weight', tensor('float32', [31], new Float32Array(31)));
    expect(() => buildSwinV1Graph(tiny, w2)).toThrow(/weight 'norm.weight': expected shape \[32\], found \[31\]/);
  });

  it('resolves windows: shrink when the map is not larger, pad when not a multiple', () => {
    expect(resolveBlockGeometry(3, 1, 7, 7, 7)).toMatchObject({ window: 7, shift: 0 });
    expect(resolveBlockGeometry(2, 1, 6, 9, 7)).toMatchObject({ window: 6, shift: 0, paddedHeight: 6, paddedWidth: 12 });
    expect(resolveBlockGeometry(0, 1, 10, 10, 4)).toMatchObject({ window: 4, shift: 2, paddedHeight: 12, paddedWidth: 12 });
  });

  it("window_rule 'torchvision' (torchvision's swin_t/s/b): the window never shrinks, tables stay full size, the shift is zeroed per axis", () => {
    const tv = mergeSwinV1Config(tiny, { window_rule: 'torchvision' });
    const geometry = (c: typeof tv) => buildSwinV1Graph(c, randomSwinV1Weights(c, 2), { inputSize: [24, 40] }).blocks.map((b) => [b.window, ...b.shifts]);
    // 6x10 then 3x5 with window 4: torchvision pads 3x5 to 4x8 and shifts along W only; the official rule shrinks to 3.
    expect(geometry(tv)).toEqual([[4, 0, 0], [4, 2, 2], [4, 0, 0], [4, 0, 2]]);
    expect(geometry(tiny)).toEqual([[4, 0, 0], [4, 2, 2], [3, 0, 0], [3, 0, 0]]);
    // A third stage of 2x2 at 32: torchvision's table is for window 4 (7x7 rows), the official one for 2 (3x3).
    const three = { ...tiny, depths: [2, 2, 2], num_heads: [1, 2, 4] };
    const rows = (c: SwinV1Config) => randomSwinV1Weights(c, 1).get('layers.2.blocks.0.attn.relative_position_bias_table')!.shape[0];
    expect([rows(mergeSwinV1Config(three, { window_rule: 'torchvision' })), rows(three)]).toEqual([49, 9]);
    expect(() => mergeSwinV1Config(tiny, { window_rule: 'timm' })).toThrow(/config\.window_rule: expected "official" or "torchvision", found "timm"/);
  });

  it('runs at sizes other than the training size (table cropped by offset when the window shrinks)', async () => {
    const w = randomSwinV1Weights(tiny, 2);
    const model = buildSwinV1Graph(tiny, w, { inputSize: [24, 40] }); // 6x10 then 3x5 (window 3, table of 4)
    expect(model.blocks.map((b) => b.window)).toEqual([4, 4, 3, 3]);
    const out = await (await createReferenceBackend().compile(model.graph)).run({ input: tensor('float32', [1, 3, 24, 40], new Float32Array(3 * 24 * 40).fill(0.5)) });
    expect(Array.from(out['logits']!.data as Float32Array).every(Number.isFinite)).toBe(true);
  });

  it('refuses a table smaller than the window a larger input needs', () => {
    const c = { ...tiny, depths: [2, 2, 2], num_heads: [1, 2, 4] };
    expect(() => buildSwinV1Graph(c, randomSwinV1Weights(c, 1), { inputSize: [64, 64] })).toThrow(/covers a window of 2, but stage 2 \(4x4\) needs window 4/);
  });

  it('counts parameters and MACs like the official code', () => {
    expect(modelComplexity(tiny)).toEqual({ parameters: 35648, macs: 975680 }); // shared fixture manifest: num_params, flops_model
  });
});

describe('architecture inference: holes', () => {
  it('names the missing stage when layers skip one', () => {
    const w = randomSwinV1Weights({ ...tiny, depths: [2, 2, 2], num_heads: [1, 2, 4] }, 1);
    for (const k of [...w.keys()]) if (k.startsWith('layers.1.')) w.delete(k);
    expect(() => inferSwinV1Config(w)).toThrow(/consecutive stages, found stages \[0,-,2\]/);
  });
  it('names a weight whose shape lacks the axis inference reads (a NaN config before)', () => {
    const w = randomSwinV1Weights(tiny, 1);
    w.set('layers.1.blocks.0.attn.relative_position_bias_table', tensor('float32', [49], new Float32Array(49)));
    expect(() => inferSwinV1Config(w)).toThrow(ShapeError);
    expect(() => inferSwinV1Config(w)).toThrow(/layers.1.blocks.0.attn.relative_position_bias_table: expected rank 2, found shape \[49\]/);
    const v = randomSwinV1Weights(tiny, 1);
    v.set('head.weight', tensor('float32', [], new Float32Array(1)));
    expect(() => inferSwinV1Config(v)).toThrow(/head.weight: shape \[\] has no axis 0/);
  });
});
