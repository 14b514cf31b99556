import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  GraphBuilder,
  LOGIT_SCALE_MAX,
  SWIN_V2_DEFAULTS,
  buildModelGraph,
  buildSwinV2Graph,
  clampedLogitScale,
  createReferenceBackend,
  detectFamily,
  evaluateGraph,
  float32,
  inferModelConfig,
  int32,
  l2NormalizeLastAxis,
  logSpacedRelativeCoords,
  mergeSwinV2Config,
  modelComplexity,
  prepareGraph,
  randomModelWeights,
  randomSwinV2Weights,
  relativePositionIndex,
  resolveBlockGeometry,
  swinV2WeightShapes,
  tensor,
  type SwinV2Config,
} from '../src/index.js';
import { expectMissingWeightNamed, opsAfterCompile } from './helpers/model-checks.js';

/** The shared official fixture's config (swin_v2_t32_w4_randomized). */
const tiny: SwinV2Config = mergeSwinV2Config(SWIN_V2_DEFAULTS, { img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 });

const close = (a: ArrayLike<number>, b: readonly number[], tol: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i]! - b[i]!), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol);
};

describe('continuous position bias inputs', () => {
  it('log-spaces offsets normalised by the window (values of the official buffer)', () => {
    const t = logSpacedRelativeCoords(4, 0);
    expect(t.shape).toEqual([49, 2]);
    // column dy at dx = 0: rows (dy + 3) * 7 + 3
    close(Array.from({ length: 7 }, (_, i) => t.data[(i * 7 + 3) * 2]!), [-1.0566417, -0.887655, -0.62482303, 0, 0.62482303, 0.887655, 1.0566417], 1e-7);
    expect(Array.from(t.data.subarray(2 * (6 * 7 + 3), 2 * (6 * 7 + 3) + 2))).toEqual([Math.fround(1.0566417), 0]);
  });
  it('normalises by the pretrained window when there is one', () => {
    const t = logSpacedRelativeCoords(4, 3);
    close(Array.from({ length: 7 }, (_, i) => t.data[(i * 7 + 3) * 2]!), [-1.2334799, -1.0566417, -0.773976, 0, 0.773976, 1.0566417, 1.2334799], 1e-7);
  });
  it('gives 0 for the single offset of a window of 1 (the official formula divides 0 by 0)', () => {
    expect(Array.from(logSpacedRelativeCoords(1, 0).data)).toEqual([0, 0]);
  });
  it('clamps logit scales at ln(100) rounded to float32, as the official float32 bound', () => {
    expect(LOGIT_SCALE_MAX).toBe(Math.fround(Math.log(100)));
    const s = clampedLogitScale(float32([3, 1, 1], [5, 2, Math.log(100)]));
    expect(s.shape).toEqual([3]);
    close(s.data, [100.00001, 7.389056, 100], 2e-5);
    expect(s.data[0]).toBe(s.data[2]); // both clamped to the same bound
  });
});

describe('l2 normalisation without max', () => {
  it('matches x / |x| and maps 0 to 0 (F.normalize does too)', () => {
    const b = new GraphBuilder(false);
    const x = b.constant('x', float32([3, 4], [3, 4, 0, 0, 0, 0, 0, 0, 1e-3, 0, 0, -1e-3]));
    b.output(l2NormalizeLastAxis(b, x, 1e-12, 'unit'));
    const out = evaluateGraph(b.build(), {})['unit']!;
    const s = Math.SQRT1_2;
    close(out.data as Float32Array, [0.6, 0.8, 0, 0, 0, 0, 0, 0, s, 0, 0, -s], 1e-7);
  });
});

describe('Swin V2 architecture inference', () => {
  it('recognises the family from logit_scale / cpb_mlp names', () => {
    expect(detectFamily(randomSwinV2Weights(tiny, 1))).toBe('swin_v2');
  });
  it('recovers the parameters from the weights; the window has to be given', () => {
    const c = mergeSwinV2Config(tiny, { depths: [2, 4, 2], num_heads: [1, 2, 4], pretrained_window_sizes: [0, 0, 0], mlp_ratio: 2, qkv_bias: false, ape: true, patch_norm: false, num_classes: 0, img_size: 64 });
    const w = randomSwinV2Weights(c, 1);
    expect(inferModelConfig(w, { window_size: 4 })).toEqual(c);
    expect(() => inferModelConfig(w)).toThrow(ConfigError);
    expect(() => inferModelConfig(w)).toThrow(/cannot infer Swin V2 window_size.*pass window_size/);
  });
  it('reads windows, the training size and pretrained windows off kept derived buffers', () => {
    // An official checkpoint of a 256 px, window-16 model fine-tuned from window 12: stage 3 (8x8) shrinks to 8.
    const c = mergeSwinV2Config(tiny, { img_size: 256, embed_dim: 8, depths: [1, 1, 1, 1], num_heads: [1, 1, 1, 1], window_size: 16, pretrained_window_sizes: [12, 12, 12, 6] });
    const w = randomSwinV2Weights(c, 1);
    [16, 16, 16, 8].forEach((m, i) => {
      const pre = `layers.${i}.blocks.0.attn`;
      w.set(`${pre}.relative_position_index`, int32([m * m, m * m], relativePositionIndex(m, m).data));
      w.set(`${pre}.relative_coords_table`, logSpacedRelativeCoords(m, c.pretrained_window_sizes[i]!));
    });
    const inferred = inferModelConfig(w);
    expect(inferred).toMatchObject({ family: 'swin_v2', window_size: 16, img_size: 256, pretrained_window_sizes: [12, 12, 12, 6] });
  });
  it('refuses unknown keys and a pretrained window of 1 by name', () => {
    expect(() => mergeSwinV2Config(tiny, { window_sise: 8 })).toThrow(/unknown config key 'window_sise'/);
    expect(() => mergeSwinV2Config(tiny, { pretrained_window_sizes: [1, 0] })).toThrow(/pretrained_window_sizes: expected a list of 2 values, each 0 or an integer >= 2/);
  });
});

describe('window rules', () => {
  it("torchvision's keeps the window and zeroes the shift per axis; the official one shrinks", () => {
    // 6x10 with window 8 (swin_v2_t's last stage at 192x320): padded to 8x16, shifted along W only.
    expect(resolveBlockGeometry(3, 1, 6, 10, 8, 'torchvision')).toMatchObject({ window: 8, shift: 4, shifts: [0, 4], paddedHeight: 8, paddedWidth: 16 });
    expect(resolveBlockGeometry(3, 1, 6, 10, 8)).toMatchObject({ window: 6, shift: 0, shifts: [0, 0], paddedHeight: 6, paddedWidth: 12 });
    // Equal to the window on both axes, or larger on both: the rules agree.
    for (const [h, w] of [[8, 8], [12, 20]] as const) {
      for (const block of [0, 1]) expect(resolveBlockGeometry(2, block, h, w, 8, 'torchvision')).toEqual(resolveBlockGeometry(2, block, h, w, 8));
    }
  });

  it('is a config key, refused by name when unknown', () => {
    expect(mergeSwinV2Config(tiny, { window_rule: 'torchvision' }).window_rule).toBe('torchvision');
    expect(() => mergeSwinV2Config(tiny, { window_rule: 'timm' })).toThrow(/config\.window_rule: expected "official" or "torchvision", found "timm"/);
  });
});

describe('Swin V2 graph', () => {
  it('names a missing or misshapen weight', () => {
    expectMissingWeightNamed((w) => buildSwinV2Graph(tiny, w), randomSwinV2Weights(tiny, 1), 'layers.1.blocks.0.attn.logit_scale', [2, 1, 1]);
    const w2 = randomSwinV2Weights(tiny, 1);
    w2.set('layers.0.blocks.1.attn.cpb_mlp.2.weight', tensor('float32', [2, 512], new Float32Array(1024)));
    expect(() => buildSwinV2Graph(tiny, w2)).toThrow(/'layers.0.blocks.1.attn.cpb_mlp.2.weight': expected shape \[1,512\], found \[2,512\]/);
  });

  it('uses only ops of the contract, and folds the position MLP, its sigmoid and the masks at compile', async () => {
    const ops = await opsAfterCompile(buildModelGraph(tiny, randomModelWeights(tiny, 3)));
    expect(ops.get('sigmoid') ?? 0).toBe(0);
    expect(ops.get('relu') ?? 0).toBe(0);
    expect(ops.get('gather') ?? 0).toBe(0);
    // one cosine per block survives: two L2 norms (reduceSum + sqrt each) per block
    expect(ops.get('sqrt')).toBe(2 * 4);
  });

  it('is batch-polymorphic and runs at sizes other than the training size (padding, shrunk windows)', async () => {
    const w = randomSwinV2Weights(tiny, 2);
    const model = buildSwinV2Graph(tiny, w, { inputSize: [24, 40], outputs: ['logits', 'stage1'] }); // 6x10 (pad 8x12), then 3x5 (window 3)
    expect(model.blocks.map((b) => [b.window, b.shift, b.paddedHeight, b.paddedWidth])).toEqual([
      [4, 0, 8, 12],
      [4, 2, 8, 12],
      [3, 0, 3, 6],
      [3, 0, 3, 6],
    ]);
    const exe = await createReferenceBackend().compile(model.graph);
    const one = tensor('float32', [1, 3, 24, 40], Float32Array.from({ length: 3 * 24 * 40 }, (_, i) => Math.sin(i)));
    const three = tensor('float32', [3, 3, 24, 40], new Float32Array(3 * 3 * 24 * 40));
    (three.data as Float32Array).set(one.data as Float32Array, 3 * 24 * 40);
    const a = await exe.run({ input: one });
    const b = await exe.run({ input: three });
    expect(b['logits']!.shape).toEqual([3, 10]);
    expect(b['stage1']!.shape).toEqual([3, 3, 5, 32]);
    close(Array.from(b['logits']!.data as Float32Array).slice(10, 20), Array.from(a['logits']!.data as Float32Array), 1e-6);
  });

  it('counts parameters and MACs like the official code', () => {
    // shared fixture manifest: num_params 44416, flops_model 975168 (V2's merge norms 2C, not 4C)
    expect(modelComplexity(tiny)).toEqual({ parameters: 44416, macs: 975168 });
    expect(swinV2WeightShapes(tiny).map(([n]) => n).slice(0, 8)).toEqual([
      'patch_embed.proj.weight',
      'patch_embed.proj.bias',
      'patch_embed.norm.weight',
      'patch_embed.norm.bias',
      'layers.0.blocks.0.norm1.weight',
      'layers.0.blocks.0.norm1.bias',
      'layers.0.blocks.0.attn.logit_scale',
      'layers.0.blocks.0.attn.q_bias',
    ]);
  });

  it('keeps cosine attention exact for a window of zero-norm padded keys (no NaN)', async () => {
    // 36 px: 9x9 tokens padded to 12x12 with window 4; without q/v biases the padded keys are exactly 0.
    const c = mergeSwinV2Config(tiny, { img_size: 36, qkv_bias: false });
    const model = buildSwinV2Graph(c, randomSwinV2Weights(c, 4));
    const g = prepareGraph(model.graph, new Set());
    const out = evaluateGraph(g, { input: tensor('float32', [1, 3, 36, 36], Float32Array.from({ length: 3 * 36 * 36 }, (_, i) => Math.cos(i))) });
    expect(Array.from(out['logits']!.data as Float32Array).every(Number.isFinite)).toBe(true);
  });
});
