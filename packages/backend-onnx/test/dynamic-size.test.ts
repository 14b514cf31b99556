import { describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { SwinError, getModelFamily, type Graph, type ModelConfig, type TensorData, type WeightMap } from '@swin/core';
import { BATCH_DIM, createOnnxRuntimeBackend, decodeOnnxModel, exportOnnx } from '../src/index.js';
import { maxAbsDiff, randomImage } from './helpers/tiny-swin.js';

/**
 * Small configs of each family. The sizes below cross every size-dependent rule: maps that are not
 * window / group multiples (padding, padded-key masks), odd maps before merges, non-square inputs,
 * stages whose map is not larger than the window (window clamped to min(H, W), no shift; CrossFormer
 * SDA instead of LDA) and stages larger than it (shifted windows with masks, LDA).
 */
const CASES: { name: string; config: ModelConfig; sizes: [number, number][] }[] = [
  {
    name: 'Swin V1',
    config: { ...getModelFamily('swin_v1').defaults, img_size: 64, embed_dim: 16, depths: [2, 2, 2], num_heads: [1, 2, 2], window_size: 4, num_classes: 5 } as ModelConfig,
    sizes: [[32, 32], [64, 64], [48, 80], [29, 45], [20, 52], [96, 36]],
  },
  {
    name: 'Swin V2',
    config: { ...getModelFamily('swin_v2').defaults, img_size: 32, embed_dim: 16, depths: [2, 2, 2], num_heads: [1, 2, 2], window_size: 4, pretrained_window_sizes: [3, 0, 0], num_classes: 5 } as ModelConfig,
    sizes: [[32, 32], [64, 64], [48, 80], [29, 45], [20, 52], [96, 36]],
  },
  {
    name: 'CrossFormer',
    config: {
      ...getModelFamily('crossformer').defaults,
      img_size: 32,
      patch_size: [4, 8],
      embed_dim: 32,
      depths: [2, 2, 2],
      num_heads: [2, 2, 4],
      group_size: [4, 4, 4],
      crs_interval: [4, 2, 1],
      merge_size: [[2, 4], [2]],
      num_classes: 5,
    } as ModelConfig,
    sizes: [[32, 32], [64, 64], [48, 80], [29, 45], [20, 52], [96, 36]],
  },
];

const OUTPUTS = ['logits', 'stage0', 'stage1', 'stage2'];

function maxAbs(t: TensorData): number {
  let m = 0;
  for (const v of t.data as Float32Array) m = Math.max(m, Math.abs(v));
  return m;
}

async function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
}

async function run(s: ort.InferenceSession, input: TensorData): Promise<Record<string, TensorData>> {
  const out = await s.run({ input: new ort.Tensor('float32', input.data as Float32Array, input.shape) });
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { dtype: 'float32', shape: t.dims.map(Number), data: t.data as Float32Array }]));
}

describe('exportOnnx dynamicSize', () => {
  for (const { name, config, sizes } of CASES) {
    it(`${name}: one file runs every size, matching the fixed-size export at each`, async () => {
      const family = getModelFamily(config.family);
      const weights: WeightMap = family.randomWeights(config, 11);
      const nominal = family.build(config, weights, { outputs: OUTPUTS });
      const dynamicBytes = exportOnnx(nominal.graph, { dynamicSize: true });
      const onnx = decodeOnnxModel(dynamicBytes);
      expect(onnx.graph.inputs[0]!.shape).toEqual([BATCH_DIM, 3, 'height', 'width']);
      expect(onnx.graph.nodes.some((n) => n.opType === 'Roll')).toBe(false);
      const dynamic = await session(dynamicBytes);
      const errors: string[] = [];
      try {
        for (const [h, w] of sizes) {
          const fixedModel = family.build(config, weights, { inputSize: [h, w], outputs: OUTPUTS });
          const fixed = await session(exportOnnx(fixedModel.graph));
          const input = randomImage(2, h, w, h * 1000 + w);
          const want = await run(fixed, input);
          await fixed.release();
          const got = await run(dynamic, input);
          for (const out of OUTPUTS) {
            const err = maxAbsDiff(got[out]!, want[out]!) / Math.max(1, maxAbs(want[out]!));
            errors.push(`${h}x${w} ${out} ${err.toExponential(1)}`);
            // float32 on both sides, relative to the output's largest magnitude. Swin V1 comes out
            // bit-identical; CrossFormer's position MLP and Swin V2's (whose clamped logit scale
            // amplifies rounding, as in README's numerics) run in float32 here and were folded in
            // float64 at export there: measured 7e-7 and 2.2e-5.
            expect(err, `${h}x${w} ${out}`).toBeLessThan(5e-5);
          }
        }
      } finally {
        await dynamic.release();
        console.log(`${name}: ${errors.join(', ')}`);
      }
    });
  }
});

describe('dynamic-size refusals and the backend', () => {
  const cf = CASES[2]!.config;
  const cfWeights = getModelFamily('crossformer').randomWeights(cf, 5);
  const withConfig = (graph: Graph, extra: Record<string, unknown>): Graph => ({ ...graph, metadata: { ...graph.metadata, config: JSON.stringify({ ...JSON.parse(graph.metadata['config']!), ...extra }) } });
  const codeOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return e instanceof SwinError ? `${e.code}: ${e.message}` : String(e);
    }
    return undefined;
  };

  it('refuses what it cannot reproduce at every size, by name, with a typed error', () => {
    const graph = getModelFamily('crossformer').build(cf, cfWeights).graph;
    expect(codeOf(() => exportOnnx(withConfig(graph, { use_acl: true }), { dynamicSize: true }))).toMatch(/^INVALID_CONFIG: .*use_acl must be false/);
    expect(codeOf(() => exportOnnx(withConfig(graph, { group_type: 'linear' }), { dynamicSize: true }))).toMatch(/group_type must be "constant"/);
    expect(codeOf(() => exportOnnx(withConfig(graph, { some_new_option: 1 }), { dynamicSize: true }))).toMatch(/^UNKNOWN_CONFIG_KEY: .*'some_new_option'/);
    expect(codeOf(() => exportOnnx(graph, { dynamicSize: true, dtype: 'int8' }))).toMatch(/^INVALID_ARGUMENT: .*float32 only/);
    const v1 = CASES[0]!.config;
    const ape = { ...v1, ape: true } as ModelConfig;
    const apeGraph = getModelFamily('swin_v1').build(ape, getModelFamily('swin_v1').randomWeights(ape, 1)).graph;
    expect(codeOf(() => exportOnnx(apeGraph, { dynamicSize: true }))).toMatch(/^INVALID_CONFIG: .*ape must be false/);
    // torchvision's Swin V2 window rule (no shrink, per-axis shift) is not reproduced: refused by name.
    const v2 = { ...getModelFamily('swin_v2').defaults, img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, pretrained_window_sizes: [0, 0], num_classes: 5, window_rule: 'torchvision' } as ModelConfig;
    const v2Graph = getModelFamily('swin_v2').build(v2, getModelFamily('swin_v2').randomWeights(v2, 1)).graph;
    expect(codeOf(() => exportOnnx(v2Graph, { dynamicSize: true }))).toMatch(/^INVALID_CONFIG: .*window_rule must be "official"/);
    // The original CrossFormer options at their values are accepted (what a config with CrossFormer++ keys carries).
    expect(codeOf(() => exportOnnx(withConfig(graph, { use_acl: false, group_type: 'constant', pad_type: 0 }), { dynamicSize: true }))).toBeUndefined();
  });

  it('the onnx backend compiles one session for every size when asked', async () => {
    const backend = createOnnxRuntimeBackend(ort, { dynamicSize: true, threads: 1 });
    const fixedBackend = createOnnxRuntimeBackend(ort, { threads: 1 });
    try {
      const graph = getModelFamily('crossformer').build(cf, cfWeights).graph;
      const exe = await backend.compile(graph);
      for (const [h, w] of [[32, 32], [40, 72]] as const) {
        const input = randomImage(1, h, w, h + w);
        const got = (await exe.run({ input }))['logits']!;
        const fixed = await fixedBackend.compile(getModelFamily('crossformer').build(cf, cfWeights, { inputSize: [h, w] }).graph);
        const want = (await fixed.run({ input }))['logits']!;
        fixed.dispose();
        expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
      }
      // CrossFormer floors its maps: 4 * 2^2 = 16 px is the least that leaves every stage a row.
      await expect(exe.run({ input: randomImage(1, 12, 40) })).rejects.toThrow(/expected height and width of at least 16, found 12x40/);
      await expect(exe.run({ input: randomImage(1, 32, 32, 1, 4) })).rejects.toThrow(/expected shape \[N,3,/);
      exe.dispose();
    } finally {
      await backend.dispose();
      await fixedBackend.dispose();
    }
  });
});
