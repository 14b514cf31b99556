import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { SwinError, getModelFamily, inferModelConfig, type Graph, type ModelConfig, type TensorData, type WeightMap } from '@swin/core';
import { compareArrays, fixtureTolerance, withinTolerance } from '@swin/conformance';
import { discoverFixtures } from '@swin/conformance/node';
import { BATCH_DIM, createOnnxRuntimeBackend, decodeOnnxModel, exportOnnx } from '../src/index.js';
import { maxAbsDiff, randomImage } from './helpers/tiny-swin.js';

/**
 * Small configs of each family. The sizes below cross every size-dependent rule: maps that are not
 * window / group multiples (padding, padded-key masks), odd maps before merges, non-square inputs,
 * stages whose map is not larger than the window (window clamped to min(H, W), no shift; CrossFormer
 * SDA instead of LDA) and stages larger than it (shifted windows with masks, LDA). Under torchvision's
 * window rule the window stays 4 and the shift is dropped per axis: 48x80, 29x45 and 20x52 end with
 * stages shifted along W only, 96x36 along H only, 32x32 with a 2x2 map padded to the window.
 */
const SWIN_V1: ModelConfig = { ...getModelFamily('swin_v1').defaults, img_size: 64, embed_dim: 16, depths: [2, 2, 2], num_heads: [1, 2, 2], window_size: 4, num_classes: 5 } as ModelConfig;
const SWIN_V2: ModelConfig = { ...getModelFamily('swin_v2').defaults, img_size: 32, embed_dim: 16, depths: [2, 2, 2], num_heads: [1, 2, 2], window_size: 4, pretrained_window_sizes: [3, 0, 0], num_classes: 5 } as ModelConfig;
const CROSSFORMER_FAMILY = getModelFamily('crossformer');
const LINEAR_DIV_FIXTURE_CONFIG = JSON.parse(readFileSync(new URL('../../../fixtures/cfpp_rand_linear_div_cpe_nomask_pad/config.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const TORCHVISION_SIZES: [number, number][] = [[32, 32], [48, 80], [29, 45], [20, 52], [96, 36]];
const CASES: { name: string; config: ModelConfig; sizes: [number, number][] }[] = [
  { name: 'Swin V1', config: SWIN_V1, sizes: [[32, 32], [64, 64], [48, 80], [29, 45], [20, 52], [96, 36]] },
  { name: 'Swin V2', config: SWIN_V2, sizes: [[32, 32], [64, 64], [48, 80], [29, 45], [20, 52], [96, 36]] },
  { name: "Swin V1, torchvision's window rule", config: { ...SWIN_V1, window_rule: 'torchvision' } as ModelConfig, sizes: TORCHVISION_SIZES },
  { name: "Swin V2, torchvision's window rule", config: { ...SWIN_V2, window_rule: 'torchvision' } as ModelConfig, sizes: TORCHVISION_SIZES },
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
  {
    // The only committed config with group_type 'linear_div' (it also has no_mask), without its
    // use_cpe (refused, see below).
    name: 'CrossFormer++ linear_div, no_mask',
    config: CROSSFORMER_FAMILY.merge(CROSSFORMER_FAMILY.defaults, { ...LINEAR_DIV_FIXTURE_CONFIG, use_cpe: false, num_classes: 5 }),
    sizes: [[48, 48], [64, 64], [40, 72], [29, 45], [53, 22]],
  },
];

/** The outputs compared: logits and every stage's map. */
function outputsOf(config: ModelConfig): string[] {
  return ['logits', ...config.depths.map((_, i) => `stage${i}`)];
}

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

/**
 * One dynamic-size file of the model against a fixed-size export at each size, on onnxruntime:
 * logits and every stage map within 5e-5 of the output's largest magnitude (float32 on both sides).
 * Returns the errors measured, one line per size and output.
 */
async function expectDynamicMatchesFixed(config: ModelConfig, weights: WeightMap, sizes: readonly (readonly [number, number])[]): Promise<string[]> {
  const family = getModelFamily(config.family);
  const outputs = outputsOf(config);
  const dynamicBytes = exportOnnx(family.build(config, weights, { outputs }).graph, { dynamicSize: true });
  const onnx = decodeOnnxModel(dynamicBytes);
  expect(onnx.graph.inputs[0]!.shape).toEqual([BATCH_DIM, 3, 'height', 'width']);
  expect(onnx.graph.nodes.some((n) => n.opType === 'Roll')).toBe(false);
  const dynamic = await session(dynamicBytes);
  const errors: string[] = [];
  try {
    for (const [h, w] of sizes) {
      const fixed = await session(exportOnnx(family.build(config, weights, { inputSize: [h, w], outputs }).graph));
      const input = randomImage(2, h, w, h * 1000 + w);
      const want = await run(fixed, input);
      await fixed.release();
      const got = await run(dynamic, input);
      for (const out of outputs) {
        const err = maxAbsDiff(got[out]!, want[out]!) / Math.max(1, maxAbs(want[out]!));
        errors.push(`${h}x${w} ${out} ${err.toExponential(1)}`);
        // Swin V1 comes out bit-identical; CrossFormer's position MLP and Swin V2's (whose clamped
        // logit scale amplifies rounding, as in README's numerics) run in float32 here and were
        // folded in float64 at export there: measured 7e-7 and 2.2e-5.
        expect(err, `${h}x${w} ${out}`).toBeLessThan(5e-5);
      }
    }
  } finally {
    await dynamic.release();
  }
  return errors;
}

describe('exportOnnx dynamicSize', () => {
  for (const { name, config, sizes } of CASES) {
    it(`${name}: one file runs every size, matching the fixed-size export at each`, async () => {
      const errors = await expectDynamicMatchesFixed(config, getModelFamily(config.family).randomWeights(config, 11), sizes);
      console.log(`${name}: ${errors.join(', ')}`);
    });
  }
});

/**
 * The committed CrossFormer++ fixtures (official code, every option on at least once): the dynamic
 * file at the fixture's own size against PyTorch's float64 outputs, and against the fixed-size
 * export at sizes crossing the rules (square, non-square, not group multiples, LDA and SDA stages,
 * uneven pad_type 1 splits). A use_cpe fixture is refused by name.
 */
describe('exportOnnx dynamicSize on the CrossFormer++ fixtures', () => {
  const fixtures = discoverFixtures().filter((f) => f.source === 'fixtures' && f.name.startsWith('cfpp_'));
  it('finds them', () => expect(fixtures.length).toBeGreaterThanOrEqual(5));
  for (const fixture of fixtures) {
    it(fixture.name, async () => {
      const loaded = await fixture.load();
      const config = inferModelConfig(loaded.weights, { family: fixture.family, ...loaded.config });
      if (config.family === 'crossformer' && config.use_cpe) {
        const graph = getModelFamily(config.family).build(config, loaded.weights).graph;
        expect(() => exportOnnx(graph, { dynamicSize: true })).toThrow(/use_cpe must be false .*one channel per token row/);
        return;
      }
      const [, , h, w] = loaded.input.shape as [number, number, number, number];
      const family = getModelFamily(config.family);
      const outputs = loaded.expected.map((e) => e.name).filter((n) => n === 'logits' || /^stage\d+_out$/.test(n));
      const dynamic = await session(exportOnnx(family.build(config, loaded.weights, { outputs }).graph, { dynamicSize: true }));
      const tolerance = fixtureTolerance(fixture.family, loaded.config);
      const lines: string[] = [];
      try {
        const got = await run(dynamic, loaded.input);
        for (const e of loaded.expected.filter((x) => outputs.includes(x.name))) {
          expect(e.precision).toBe('float64');
          const cmp = compareArrays(got[e.name]!.data as Float32Array, e.data, `${fixture.name}/${e.name}`, e.shape);
          lines.push(`${e.name} ${cmp.maxAbs.toExponential(1)} (rel ${cmp.maxRel.toExponential(1)})`);
          expect(withinTolerance(cmp.maxAbs, cmp.scale, tolerance), `${e.name} ${cmp.maxAbs}`).toBe(true);
        }
      } finally {
        await dynamic.release();
      }
      // Four sizes other than the fixture's: square, non-square, not multiples of the group size.
      const sizes = ([[64, 64], [40, 72], [29, 45], [53, 22], [48, 48]] as const).filter(([a, b]) => a !== h || b !== w).slice(0, 4);
      const errors = await expectDynamicMatchesFixed(config, loaded.weights, sizes);
      console.log(`${fixture.name}: vs PyTorch float64 at ${h}x${w}: ${lines.join(', ')}; vs fixed: ${errors.join(', ')}`);
    });
  }
});

describe('dynamic-size refusals and the backend', () => {
  const cf = CASES.find((c) => c.name === 'CrossFormer')!.config;
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
    expect(codeOf(() => exportOnnx(withConfig(graph, { use_cpe: true }), { dynamicSize: true }))).toMatch(/^INVALID_CONFIG: .*use_cpe must be false .*runs only at the training height/);
    expect(codeOf(() => exportOnnx(withConfig(graph, { some_new_option: 1 }), { dynamicSize: true }))).toMatch(/^UNKNOWN_CONFIG_KEY: .*'some_new_option'/);
    expect(codeOf(() => exportOnnx(graph, { dynamicSize: true, dtype: 'int8' }))).toMatch(/^INVALID_ARGUMENT: .*float32 only/);
    const v1 = SWIN_V1;
    const ape = { ...v1, ape: true } as ModelConfig;
    const apeGraph = getModelFamily('swin_v1').build(ape, getModelFamily('swin_v1').randomWeights(ape, 1)).graph;
    expect(codeOf(() => exportOnnx(apeGraph, { dynamicSize: true }))).toMatch(/^INVALID_CONFIG: .*ape must be false/);
    // The other CrossFormer++ options are reproduced (checked above against fixed-size exports; use_acl needs its weights).
    expect(codeOf(() => exportOnnx(withConfig(graph, { group_type: 'alter', pad_type: 1, no_mask: true, adaptive_interval: true }), { dynamicSize: true }))).toBeUndefined();
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
