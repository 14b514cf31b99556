import { describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { SWIN_V1_DEFAULTS, SwinError, buildSwinV1Graph, evaluateGraph, randomSwinV1Weights, type Graph, type TensorData } from '@swin/core';
import { BATCH_DIM, ONNX_DTYPE, ONNX_OPSET, buildOnnxModel, decodeOnnxModel, exportOnnx } from '../src/index.js';
import { TINY_CONFIG, maxAbsDiff, randomImage, tinySwin } from './helpers/tiny-swin.js';

/** The ai.onnx (default domain) ops a Swin export may contain: nothing outside opset 17's standard set. */
const STANDARD_OPS = new Set(['Add', 'Cast', 'Concat', 'Conv', 'Div', 'Erf', 'Gather', 'Gemm', 'Identity', 'LayerNormalization', 'MatMul', 'Mul', 'Pad', 'ReduceMean', 'Reshape', 'Slice', 'Softmax', 'Transpose']);

/** Runs exported bytes on onnxruntime-node directly (no backend in between). */
async function runBytes(bytes: Uint8Array, input: TensorData): Promise<Record<string, TensorData>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ input: new ort.Tensor('float32', input.data as Float32Array, input.shape) });
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { dtype: 'float32', shape: t.dims.map(Number), data: t.data as Float32Array }]));
  } finally {
    await session.release();
  }
}

function reference(graph: Graph, input: TensorData): Record<string, TensorData> {
  return evaluateGraph(graph, { input });
}

describe('exportOnnx', () => {
  it('writes standard opset-17 ONNX with a symbolic batch, weights as initializers and no Constant nodes', () => {
    const model = tinySwin({ outputs: ['logits', 'pooled', 'stage0'] });
    const onnx = decodeOnnxModel(exportOnnx(model.graph));
    expect(onnx.opsetImports).toEqual([{ domain: '', version: ONNX_OPSET }]);
    expect(onnx.irVersion).toBe(8);
    for (const n of onnx.graph.nodes) {
      expect(n.domain).toBe('');
      expect(STANDARD_OPS.has(n.opType), `${n.opType} is not in the expected standard set`).toBe(true);
    }
    expect(onnx.graph.inputs).toEqual([{ name: 'input', dataType: ONNX_DTYPE.FLOAT, shape: [BATCH_DIM, 3, 32, 32] }]);
    expect(onnx.graph.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['logits', [BATCH_DIM, 10]],
      ['pooled', [BATCH_DIM, 32]],
      ['stage0', [BATCH_DIM, 8, 8, 16]],
    ]);
    const names = new Set(onnx.graph.initializers.map((t) => t.name));
    expect(names.has('head.weight')).toBe(true);
    expect(names.has('layers.0.blocks.0.attn.qkv.weight')).toBe(false); // replaced by its q (scaled), k, v row blocks
    const read = new Set(onnx.graph.nodes.flatMap((n) => n.inputs));
    for (const t of onnx.graph.initializers) expect(read.has(t.name), `initializer ${t.name} is never read`).toBe(true);
    expect(JSON.parse(onnx.metadata['config']!)).toMatchObject({ embed_dim: 16 });
    expect(onnx.metadata['swin.dynamicBatch']).toBe('true');
  });

  it('runs in onnxruntime at batch 1 and 4 from one file, matching the reference executor', async () => {
    const model = tinySwin({ outputs: ['logits', 'stage0_block1', 'stage1'] });
    const bytes = exportOnnx(model.graph);
    for (const batch of [1, 4]) {
      const input = randomImage(batch, 32, 32, batch);
      const ours = await runBytes(bytes, input);
      const ref = reference(model.graph, input);
      for (const name of ['logits', 'stage0_block1', 'stage1']) {
        expect(ours[name]!.shape).toEqual(ref[name]!.shape);
        expect(maxAbsDiff(ours[name]!, ref[name]!)).toBeLessThan(1e-4);
      }
    }
  });

  it('exports a fixed batch when asked, and refuses a dynamic batch for a fixed-batch graph', async () => {
    const model = tinySwin({ batch: 2 });
    const fixed = decodeOnnxModel(exportOnnx(model.graph, { dynamicBatch: false }));
    expect(fixed.graph.inputs[0]!.shape).toEqual([2, 3, 32, 32]);
    expect(fixed.graph.outputs[0]!.shape).toEqual([2, 10]);
    const input = randomImage(2, 32, 32);
    expect(maxAbsDiff((await runBytes(exportOnnx(model.graph, { dynamicBatch: false }), input))['logits']!, reference(model.graph, input)['logits']!)).toBeLessThan(1e-4);
    const frozen: Graph = { ...model.graph, dynamicBatch: false };
    expect(() => exportOnnx(frozen, { dynamicBatch: true })).toThrow(SwinError);
    expect(() => exportOnnx(frozen, { dynamicBatch: true })).toThrow(/graph\.dynamicBatch is false/);
  });

  it('handles padding, odd maps, rectangles, ape and no qkv bias', async () => {
    const config = { ...TINY_CONFIG, img_size: [36, 52] as [number, number], window_size: 4, ape: true, qkv_bias: false, patch_norm: false };
    const model = buildSwinV1Graph(config, randomSwinV1Weights(config, 5), { outputs: ['logits', 'stage0_out'] });
    const input = randomImage(3, 36, 52);
    const ours = await runBytes(exportOnnx(model.graph), input);
    const ref = reference(model.graph, input);
    expect(maxAbsDiff(ours['logits']!, ref['logits']!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(ours['stage0_out']!, ref['stage0_out']!)).toBeLessThan(1e-4);
  });

  it('uses onnxruntime contrib ops only behind allowContribOps', async () => {
    const model = tinySwin();
    const plain = decodeOnnxModel(exportOnnx(model.graph));
    expect(plain.graph.nodes.some((n) => n.opType === 'Erf')).toBe(true);
    const bytes = exportOnnx(model.graph, { allowContribOps: true });
    const contrib = decodeOnnxModel(bytes);
    expect(contrib.opsetImports).toContainEqual({ domain: 'com.microsoft', version: 1 });
    expect(contrib.graph.nodes.filter((n) => n.domain === 'com.microsoft').map((n) => n.opType)).toContain('Gelu');
    const input = randomImage(2, 32, 32);
    expect(maxAbsDiff((await runBytes(bytes, input))['logits']!, reference(model.graph, input)['logits']!)).toBeLessThan(1e-4);
  });

  it('exports float16 weights and compute with float32 inputs and outputs', async () => {
    const model = tinySwin();
    const f32 = exportOnnx(model.graph);
    const bytes = exportOnnx(model.graph, { dtype: 'float16' });
    const onnx = decodeOnnxModel(bytes);
    expect(bytes.byteLength).toBeLessThan(0.6 * f32.byteLength);
    expect(onnx.graph.inputs[0]!.dataType).toBe(ONNX_DTYPE.FLOAT);
    expect(onnx.graph.outputs[0]!.dataType).toBe(ONNX_DTYPE.FLOAT);
    const floats = onnx.graph.initializers.filter((t) => t.dataType === ONNX_DTYPE.FLOAT || t.dataType === ONNX_DTYPE.FLOAT16);
    expect(floats.every((t) => t.dataType === ONNX_DTYPE.FLOAT16)).toBe(true);
    expect(onnx.metadata['swin.dtype']).toBe('float16');
    const input = randomImage(2, 32, 32);
    const ref = reference(model.graph, input)['logits']!;
    expect(maxAbsDiff((await runBytes(bytes, input))['logits']!, ref)).toBeLessThan(5e-2);
  });

  it('folds the relative position bias and the shift mask into one constant per block', () => {
    const model = tinySwin();
    const onnx = buildOnnxModel(model.graph);
    // Stage 0 block 1 is shifted: its bias is [nW=4, heads=1, 16, 16]; unshifted blocks keep [1, heads, 16, 16].
    const biases = onnx.graph.initializers.filter((t) => t.dims.length === 4 && t.dims[2] === 16 && t.dims[3] === 16);
    expect(biases.map((t) => t.dims)).toEqual([
      [1, 1, 16, 16],
      [4, 1, 16, 16],
      [1, 2, 16, 16],
      [1, 2, 16, 16],
    ]);
    // Per block: the heads of q, k, v and back; partition and reverse in stage 0 only (stage 1's 4x4
    // map is one unshifted 4x4 window, whose token moves would keep every token in place); one patch merge.
    expect(onnx.graph.nodes.filter((n) => n.opType === 'Gather').length).toBe(4 * 4 + 2 * 2 + 1);
    // k^T per block (onnxruntime fuses it into the score MatMul) and the patch embedding's NCHW to NHWC.
    expect(onnx.graph.nodes.filter((n) => n.opType === 'Transpose').length).toBe(4 + 1);
  });

  it('exports Swin-T 224 compactly, the biases outside the Gemms', () => {
    const model = buildSwinV1Graph(SWIN_V1_DEFAULTS, randomSwinV1Weights(SWIN_V1_DEFAULTS, 1));
    const onnx = buildOnnxModel(model.graph);
    const counts = new Map<string, number>();
    for (const n of onnx.graph.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
    expect(onnx.graph.nodes.length).toBeLessThan(520);
    expect(counts.get('Gemm')).toBe(12 * 4 + 3 + 1); // qkv (one product), proj, fc1, fc2 per block; 3 merges; head
    // No Gemm takes a bias (C): onnxruntime copies C into its output on one thread (emitLinear).
    expect(onnx.graph.nodes.filter((n) => n.opType === 'Gemm' && (n.inputs[2] ?? '') !== '').map((n) => n.name)).toEqual([]);
    // Bias adds: q's, proj's, fc1's and fc2's per block (k's is dropped, v's folded into proj's), the head's;
    // then per block the attention bias (position bias and shift mask), the two residual adds and GELU's 1 + erf.
    expect(counts.get('Add')).toBe(12 * 4 + 1 + 12 * 4);
    expect(counts.get('Constant')).toBeUndefined();
    // Token moves: partition and reverse per block, one per patch merge, and the heads of q, k, v and
    // back per block; stage 3's 7x7 map is one unshifted 7x7 window, so its blocks move no tokens.
    expect(counts.get('Gather')).toBe(10 * 2 + 3 + 12 * 4);
  });
});

describe('exportOnnx edge cases', () => {
  it('exports an output that folded to a constant, in float32 and float16', async () => {
    const { GraphBuilder, float32 } = await import('@swin/core');
    const b = new GraphBuilder(true);
    const x = b.input('input', 'float32', [1, 2]);
    const c = b.add(b.literal('a', float32([2], [1, 2])), b.literal('b', float32([2], [3, 4])), 'folded');
    b.output(c);
    b.output(b.add(x, c, 'sum'));
    const graph = b.build();
    for (const dtype of ['float32', 'float16'] as const) {
      const session = await ort.InferenceSession.create(exportOnnx(graph, { dtype }));
      const out = await session.run({ input: new ort.Tensor('float32', Float32Array.of(10, 20), [1, 2]) });
      expect([...(out['folded']!.data as Float32Array)]).toEqual([4, 6]);
      expect([...(out['sum']!.data as Float32Array)]).toEqual([14, 26]);
      await session.release();
    }
  });
});
