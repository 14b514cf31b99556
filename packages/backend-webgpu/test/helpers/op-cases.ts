// Op-level cases on seeded random shapes, browser-safe so the Chromium page runs the same list.
// Each case builds a one-op (or one-chain) graph; results are compared with core's reference
// backend. Shapes include the awkward ones: unaligned K/N (scalar matmul path), broadcasts,
// negative slice bounds and steps, odd PatchMerging sizes, shifted windows, rectangular windows.

import { compareArrays } from '@swin/conformance';
import { GraphBuilder, SeededRandom, createReferenceBackend, tensor, toFloat32, type Backend, type TensorData, type Value } from '@swin/core';

export interface OpCase {
  readonly name: string;
  /** Inputs at compile time; `runBatch` re-draws them at another batch to exercise dynamic batch. */
  readonly inputs: Record<string, { shape: number[]; dtype?: 'float32' | 'int32' }>;
  readonly build: (b: GraphBuilder, x: Record<string, Value>, w: (shape: number[], scale?: number) => Value) => Value;
  readonly runBatch?: number;
}

/** Result of one case. */
export interface OpCaseResult {
  readonly name: string;
  readonly shape: readonly number[];
  readonly maxAbsError: number;
  readonly scale: number;
  readonly steps: string;
}

const attention = (b: GraphBuilder, x: Value, w: (s: number[], sc?: number) => Value, c: number, heads: number, n: number, nWb: number) =>
  b.op('windowAttention', [x, w([3 * c, c]), w([3 * c]), w([c, c]), w([c]), w([nWb, heads, n, n])], { numHeads: heads, scale: (c / heads) ** -0.5 });

export const OP_CASES: readonly OpCase[] = [
  { name: 'add broadcast', inputs: { a: { shape: [2, 3, 5] }, b: { shape: [3, 1] } }, build: (b, x) => b.add(x.a!, x.b!) },
  { name: 'sub same shape', inputs: { a: { shape: [4, 33] }, b: { shape: [4, 33] } }, build: (b, x) => b.sub(x.a!, x.b!) },
  { name: 'mul scalar', inputs: { a: { shape: [2, 7, 9] } }, build: (b, x, w) => b.mul(x.a!, w([])) },
  { name: 'div broadcast both', inputs: { a: { shape: [3, 1, 4] }, b: { shape: [1, 5, 1] } }, build: (b, x) => b.div(x.a!, b.add(b.mul(x.b!, x.b!), b.literal('k', tensor('float32', [], new Float32Array([1.5]))))) },
  { name: 'add int32', inputs: { a: { shape: [6], dtype: 'int32' }, b: { shape: [6], dtype: 'int32' } }, build: (b, x) => b.add(x.a!, x.b!) },
  { name: 'gelu', inputs: { a: { shape: [3, 300] } }, build: (b, x) => b.gelu(b.mul(x.a!, b.literal('k', tensor('float32', [], new Float32Array([4]))))) },
  { name: 'relu sigmoid exp sqrt', inputs: { a: { shape: [50] } }, build: (b, x) => b.op('sqrt', [b.op('exp', [b.op('sigmoid', [b.relu(x.a!)], {})], {})], {}) },
  { name: 'matmul aligned', inputs: { a: { shape: [70, 32] }, b: { shape: [32, 68] } }, build: (b, x) => b.matmul(x.a!, x.b!) },
  { name: 'matmul unaligned', inputs: { a: { shape: [5, 9] }, b: { shape: [9, 7] } }, build: (b, x) => b.matmul(x.a!, x.b!) },
  { name: 'matmul batched broadcast transB', inputs: { a: { shape: [2, 3, 65, 20] }, b: { shape: [1, 66, 20] } }, build: (b, x) => b.matmul(x.a!, x.b!, true) },
  { name: 'matmul rank-2 b', inputs: { a: { shape: [4, 3, 17, 12] }, b: { shape: [12, 13] } }, build: (b, x) => b.matmul(x.a!, x.b!) },
  { name: 'linear constant weight', inputs: { a: { shape: [2, 5, 24] } }, build: (b, x, w) => b.linear(x.a!, w([40, 24]), w([40])) },
  { name: 'linear unaligned, no bias', inputs: { a: { shape: [3, 7] } }, build: (b, x, w) => b.linear(x.a!, w([10, 7]), undefined) },
  { name: 'linear computed weight', inputs: { a: { shape: [6, 8] }, w: { shape: [12, 8] } }, build: (b, x) => b.linear(x.a!, x.w!, undefined) },
  { name: 'linear + gelu + residual (fused)', inputs: { a: { shape: [2, 9, 16] }, r: { shape: [2, 9, 32] } }, build: (b, x, w) => b.add(x.r!, b.gelu(b.linear(x.a!, w([32, 16]), w([32])))) },
  { name: 'layerNorm', inputs: { a: { shape: [2, 7, 96] } }, build: (b, x, w) => b.layerNorm(b.add(x.a!, w([96], 10)), w([96]), w([96])) },
  { name: 'layerNorm no affine, wide', inputs: { a: { shape: [3, 1536] } }, build: (b, x) => b.layerNorm(x.a!, undefined, undefined, 1e-5) },
  { name: 'softmax', inputs: { a: { shape: [2, 3, 49] } }, build: (b, x) => b.softmax(b.mul(x.a!, b.literal('k', tensor('float32', [], new Float32Array([5]))))) },
  { name: 'reshape + transpose', inputs: { a: { shape: [2, 3, 4, 5] } }, build: (b, x) => b.transpose(b.reshape(x.a!, [2, 12, 5]), [2, 0, 1]) },
  { name: 'transpose rank 6', inputs: { a: { shape: [2, 2, 3, 2, 3, 4] } }, build: (b, x) => b.transpose(x.a!, [0, 1, 3, 2, 4, 5]) },
  { name: 'slice negative, steps', inputs: { a: { shape: [2, 9, 10] } }, build: (b, x) => b.slice(x.a!, { starts: [-8, 1], ends: [100, -1], axes: [1, 2], steps: [3, 2] }) },
  { name: 'concat axis -1', inputs: { a: { shape: [2, 3, 4] }, b: { shape: [2, 3, 1] } }, build: (b, x) => b.concat([x.a!, x.b!, x.a!], -1) },
  { name: 'pad value', inputs: { a: { shape: [2, 3, 4] } }, build: (b, x) => b.pad(x.a!, [0, 1, 2, 1, 0, 3], -1.5) },
  { name: 'gather axis 0 with negative index', inputs: { a: { shape: [5, 3] } }, build: (b, x) => b.gather(x.a!, b.literal('i', tensor('int32', [2, 2], new Int32Array([4, 0, -1, 2]))), 0) },
  { name: 'gather axis 1', inputs: { a: { shape: [2, 6, 3] } }, build: (b, x) => b.gather(x.a!, b.literal('i', tensor('int32', [3], new Int32Array([5, 1, 1]))), 1) },
  { name: 'cast float -> int32 -> float', inputs: { a: { shape: [20] } }, build: (b, x) => b.op('cast', [b.op('cast', [b.mul(x.a!, b.literal('k', tensor('float32', [], new Float32Array([3]))))], { to: 'int32' })], { to: 'float32' }) },
  { name: 'conv2d patch embed (NHWC fused)', inputs: { a: { shape: [2, 3, 16, 16] } }, build: (b, x, w) => b.transpose(b.conv2d(x.a!, w([8, 3, 4, 4]), w([8]), { strides: [4, 4], pads: [0, 0, 0, 0] }), [0, 2, 3, 1]) },
  { name: 'conv2d groups, pads, stride 2', inputs: { a: { shape: [1, 4, 9, 7] } }, build: (b, x, w) => b.conv2d(x.a!, w([6, 2, 3, 3]), undefined, { strides: [2, 1], pads: [1, 0, 1, 2], groups: 2 }) },
  { name: 'reduceMean tokens', inputs: { a: { shape: [2, 3, 4, 5] } }, build: (b, x) => b.reduceMean(x.a!, [1, 2]) },
  { name: 'reduceSum keepDims', inputs: { a: { shape: [2, 3, 4, 5] } }, build: (b, x) => b.op('reduceSum', [x.a!], { axes: [0, -1], keepDims: true }) },
  { name: 'windowPartition shifted', inputs: { a: { shape: [2, 8, 8, 3] } }, build: (b, x) => b.op('windowPartition', [x.a!], { window: [4, 4], shift: [2, 2] }) },
  { name: 'windowPartition rectangular', inputs: { a: { shape: [1, 6, 8, 2] } }, build: (b, x) => b.op('windowPartition', [x.a!], { window: [3, 4], shift: [1, 2] }) },
  { name: 'windowReverse shifted', inputs: { a: { shape: [8, 16, 3] } }, build: (b, x) => b.op('windowReverse', [x.a!], { window: [4, 4], shift: [2, 2], height: 8, width: 8 }) },
  { name: 'patchMerging odd', inputs: { a: { shape: [2, 5, 7, 3] } }, build: (b, x) => b.op('patchMerging', [x.a!], {}) },
  { name: 'windowAttention alone (nWb = 1)', inputs: { a: { shape: [4, 16, 16] } }, build: (b, x, w) => attention(b, x.a!, w, 16, 2, 16, 1) },
  { name: 'windowAttention head dim 3 (scalar path)', inputs: { a: { shape: [2, 9, 6] } }, build: (b, x, w) => attention(b, x.a!, w, 6, 2, 9, 2) },
  { name: 'windowAttention window 12 (blocked keys)', inputs: { a: { shape: [1, 144, 64] } }, build: (b, x, w) => attention(b, x.a!, w, 64, 2, 144, 1) },
  {
    name: 'shifted block: pad, partition, attention, reverse, crop, residual (fused)',
    inputs: { a: { shape: [1, 6, 7, 16] } },
    runBatch: 3,
    build: (b, x, w) => {
      const t = b.layerNorm(x.a!, w([16]), w([16]));
      const p = b.pad(t, [0, 0, 0, 0, 0, 2, 1, 0]);
      const win = b.op('windowPartition', [p], { window: [4, 4], shift: [2, 2] });
      const att = attention(b, win, w, 16, 2, 16, 4);
      const rev = b.op('windowReverse', [att], { window: [4, 4], shift: [2, 2], height: 8, width: 8 });
      const crop = b.slice(rev, { starts: [0, 0], ends: [6, 7], axes: [1, 2] });
      return b.add(x.a!, crop);
    },
  },
];

function draw(rng: SeededRandom, shape: readonly number[], dtype: 'float32' | 'int32' = 'float32', scale = 1): TensorData {
  const n = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'int32') return tensor('int32', shape, Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * 200) - 100));
  return tensor('float32', shape, rng.normalArray(n, scale));
}

/** Runs every case on `backend` and on the reference backend; resolves to per-case errors. */
export async function runOpCases(backend: Backend, cases: readonly OpCase[] = OP_CASES, seed = 7): Promise<OpCaseResult[]> {
  const reference = createReferenceBackend();
  const results: OpCaseResult[] = [];
  for (const c of cases) {
    const rng = new SeededRandom(seed);
    const b = new GraphBuilder(true);
    const x: Record<string, Value> = {};
    for (const [name, spec] of Object.entries(c.inputs)) x[name] = b.input(name, spec.dtype ?? 'float32', spec.shape);
    const w = (shape: number[], scale = 0.5) => b.literal('w', draw(rng, shape, 'float32', scale));
    b.output(c.build(b, x, w));
    const graph = b.build();
    const inputs: Record<string, TensorData> = {};
    for (const [name, spec] of Object.entries(c.inputs)) {
      const shape = c.runBatch ? [c.runBatch, ...spec.shape.slice(1)] : spec.shape;
      inputs[name] = draw(rng, shape, spec.dtype);
    }
    const exe = await backend.compile(graph);
    try {
      const got = await exe.run(inputs);
      const want = await (await reference.compile(graph)).run(inputs);
      const out = graph.outputs[0]?.name ?? '';
      const g = got[out];
      const r = want[out];
      if (!g || !r) throw new Error(`${c.name}: no output '${out}' (backend ${!!g}, reference ${!!r})`);
      if (g.shape.join(',') !== r.shape.join(',')) throw new Error(`${c.name}: shape [${g.shape}] vs reference [${r.shape}]`);
      const { maxAbs: err, scale } = compareArrays(toFloat32(g).data, toFloat32(r).data, c.name);
      const steps = (exe as unknown as { program?: { steps: { label: string }[] } }).program?.steps.map((s) => s.label).join(',') ?? '';
      results.push({ name: c.name, shape: r.shape, maxAbsError: err, scale, steps });
    } finally {
      exe.dispose();
    }
  }
  return results;
}
