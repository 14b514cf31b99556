import { describe, expect, it } from 'vitest';
import {
  GraphBuilder,
  REFERENCE_KERNELS,
  SeededRandom,
  ShapeError,
  DTypeError,
  erf,
  evaluateGraph,
  float32,
  inferOutputType,
  runKernel,
  bindInputs,
  OP_INPUTS,
  ALL_OPS,
  SwinError,
  int32,
  tensor,
  type TensorData,
} from '../src/index.js';

const rng = new SeededRandom(7);
const rand = (shape: number[]) => tensor('float32', shape, rng.normalArray(shape.reduce((a, b) => a * b, 1)));
/** A reference kernel called with positional inputs, named through the op's OP_INPUTS row as a backend would. */
const kernel =
  (op: keyof typeof REFERENCE_KERNELS) =>
  (i: (TensorData | undefined)[], attrs: unknown): TensorData =>
    runKernel(REFERENCE_KERNELS, { op, name: op, attrs: attrs as never }, i, { node: { name: op, op }, output: { dtype: 'float32', shape: [] } });

/** Value at a multi-index of a row-major tensor. */
function at(t: TensorData, idx: number[]): number {
  let off = 0;
  for (let i = 0; i < idx.length; i++) off = off * t.shape[i]! + idx[i]!;
  return Number(t.data[off]);
}

describe('shape inference', () => {
  it('broadcasts and names both shapes when it cannot', () => {
    expect(inferOutputType('add', [{ dtype: 'float32', shape: [2, 1, 4] }, { dtype: 'float32', shape: [3, 1] }], {}).shape).toEqual([2, 3, 4]);
    expect(() => inferOutputType('add', [{ dtype: 'float32', shape: [2, 3] }, { dtype: 'float32', shape: [4] }], {})).toThrow(/\[2,3\] with \[4\]/);
  });
  it('rejects mixed dtypes and bad matmul inner dims', () => {
    expect(() => inferOutputType('mul', [{ dtype: 'float32', shape: [2] }, { dtype: 'int32', shape: [2] }], {})).toThrow(DTypeError);
    expect(() => inferOutputType('matmul', [{ dtype: 'float32', shape: [2, 3] }, { dtype: 'float32', shape: [4, 5] }], {})).toThrow(ShapeError);
  });
  it('infers reshape -1, slices with steps and negative bounds', () => {
    expect(inferOutputType('reshape', [{ dtype: 'float32', shape: [2, 6, 4] }], { shape: [-1, 8] }).shape).toEqual([6, 8]);
    expect(inferOutputType('slice', [{ dtype: 'float32', shape: [5, 9] }], { starts: [1, -3], ends: [5, 100], axes: [0, 1], steps: [2, 1] }).shape).toEqual([2, 3]);
    expect(() => inferOutputType('reshape', [{ dtype: 'float32', shape: [2, 3] }], { shape: [4, -1] })).toThrow(/cannot reshape/);
  });
  it('checks windowAttention bias shapes', () => {
    const f = (shape: number[]) => ({ dtype: 'float32' as const, shape });
    expect(() => inferOutputType('windowAttention', [f([8, 16, 8]), f([24, 8]), undefined, f([8, 8]), undefined, f([3, 2, 16, 16])], { numHeads: 2, scale: 1 })).toThrow(/attnBias/);
  });
});

describe('reference kernels', () => {
  it('erf is float64-accurate', () => {
    expect(Math.abs(erf(0.5) - 0.5204998778130465)).toBeLessThan(1e-15);
    expect(Math.abs(erf(-2.2) + 0.9981371537020182)).toBeLessThan(1e-14);
    expect(Math.abs(erf(4) - 0.9999999845827421)).toBeLessThan(1e-15);
  });
  it('matmul matches a naive triple loop, batched and transposed', () => {
    const a = rand([2, 3, 5]);
    const b = rand([5, 4]);
    const bt = rand([2, 4, 5]);
    const y = kernel('matmul')([a, b], {});
    const yt = kernel('matmul')([a, bt], { transB: true });
    for (let n = 0; n < 2; n++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 4; j++) {
          let s = 0;
          let st = 0;
          for (let k = 0; k < 5; k++) {
            s += at(a, [n, i, k]) * at(b, [k, j]);
            st += at(a, [n, i, k]) * at(bt, [n, j, k]);
          }
          expect(at(y, [n, i, j])).toBeCloseTo(s, 5);
          expect(at(yt, [n, i, j])).toBeCloseTo(st, 5);
        }
  });
  it('softmax is stable for huge logits and layerNorm normalizes', () => {
    const s = kernel('softmax')([float32([1, 3], [1000, 1001, 1002])], {});
    expect(Array.from(s.data as Float32Array).every(Number.isFinite)).toBe(true);
    expect((s.data as Float32Array).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const ln = kernel('layerNorm')([float32([1, 4], [1, 2, 3, 4]), float32([4], [1, 1, 1, 1]), float32([4], [0, 0, 0, 0])], { eps: 1e-5 });
    expect((ln.data as Float32Array)[0]).toBeCloseTo(-1.3416, 3);
  });
  it('slice, pad, concat, gather, transpose agree with index arithmetic', () => {
    const x = rand([3, 4, 5]);
    const sl = kernel('slice')([x], { starts: [1, 0], ends: [4, 5], axes: [1, 2], steps: [2, 2] });
    expect(sl.shape).toEqual([3, 2, 3]);
    expect(at(sl, [2, 1, 2])).toBe(at(x, [2, 3, 4]));
    const pd = kernel('pad')([x], { pads: [0, 1, 0, 0, 2, 1] });
    expect(pd.shape).toEqual([3, 7, 6]);
    expect(at(pd, [1, 1, 0])).toBe(at(x, [1, 0, 0]));
    expect(at(pd, [1, 0, 0])).toBe(0);
    const tr = kernel('transpose')([x], { perm: [2, 0, 1] });
    expect(at(tr, [4, 2, 3])).toBe(at(x, [2, 3, 4]));
    const ga = kernel('gather')([x, int32([2], [3, -1])], { axis: 1 });
    expect(at(ga, [0, 1, 2])).toBe(at(x, [0, 3, 2]));
    const cc = kernel('concat')([x, rand([3, 2, 5])], { axis: 1 });
    expect(cc.shape).toEqual([3, 6, 5]);
    expect(at(cc, [2, 3, 4])).toBe(at(x, [2, 3, 4]));
  });
  it('conv2d with stride equals patch-wise dot products', () => {
    const x = rand([1, 2, 4, 4]);
    const w = rand([3, 2, 2, 2]);
    const y = kernel('conv2d')([x, w, float32([3], [0.5, 0, -1])], { strides: [2, 2], pads: [0, 0, 0, 0] });
    expect(y.shape).toEqual([1, 3, 2, 2]);
    let s = 0.5;
    for (let c = 0; c < 2; c++) for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s += at(x, [0, c, 2 + i, 0 + j]) * at(w, [0, c, i, j]);
    expect(at(y, [0, 0, 1, 0])).toBeCloseTo(s, 5);
  });
});

describe('composite decompositions', () => {
  /** torch.roll on (H, W), then window partition, by index arithmetic. */
  function naivePartition(x: TensorData, wh: number, ww: number, sh: number, sw: number): number[] {
    const [b, h, w, c] = x.shape as number[];
    const out: number[] = [];
    for (let n = 0; n < b!; n++)
      for (let wy = 0; wy < h! / wh; wy++)
        for (let wx = 0; wx < w! / ww; wx++)
          for (let ty = 0; ty < wh; ty++)
            for (let tx = 0; tx < ww; tx++)
              for (let ch = 0; ch < c!; ch++) out.push(at(x, [n, (wy * wh + ty + sh) % h!, (wx * ww + tx + sw) % w!, ch]));
    return out;
  }

  it('windowPartition with shift equals roll + partition, and windowReverse inverts it', () => {
    const x = rand([2, 8, 12, 3]);
    const b = new GraphBuilder();
    const xi = b.input('x', 'float32', x.shape);
    const p = b.op('windowPartition', [xi], { window: [4, 4], shift: [2, 2] }, 'p', true);
    const r = b.op('windowReverse', [p], { window: [4, 4], shift: [2, 2], height: 8, width: 12 }, 'r', true);
    b.output(p);
    b.output(r);
    const out = evaluateGraph(b.build(), { x });
    expect(out['p']!.shape).toEqual([12, 16, 3]);
    expect(Array.from(out['p']!.data as Float32Array)).toEqual(naivePartition(x, 4, 4, 2, 2).map(Math.fround));
    expect(Array.from(out['r']!.data as Float32Array)).toEqual(Array.from(x.data as Float32Array));
  });

  it('patchMerging concatenates phases in the official order and pads odd sizes', () => {
    const x = rand([1, 3, 5, 2]);
    const b = new GraphBuilder();
    b.output(b.op('patchMerging', [b.input('x', 'float32', x.shape)], {}, 'm', true));
    const m = evaluateGraph(b.build(), { x })['m']!;
    expect(m.shape).toEqual([1, 2, 3, 8]);
    // token (1, 2): channels 0-1 from x[2,4], 2-3 from x[3,4] (padding: 0), 4-5 from x[2,5] (0), 6-7 from x[3,5] (0)
    expect(at(m, [0, 1, 2, 0])).toBe(at(x, [0, 2, 4, 0]));
    expect(at(m, [0, 0, 1, 2])).toBe(at(x, [0, 1, 2, 0]));
    expect(at(m, [0, 0, 1, 4])).toBe(at(x, [0, 0, 3, 0]));
    expect(at(m, [0, 0, 1, 6])).toBe(at(x, [0, 1, 3, 0]));
    expect(at(m, [0, 1, 2, 2])).toBe(0);
  });

  it('windowAttention matches a direct per-window computation', () => {
    const [bw, n, c, nh] = [4, 4, 6, 2];
    const x = rand([bw, n, c]);
    const qkvW = rand([3 * c, c]);
    const qkvB = rand([3 * c]);
    const projW = rand([c, c]);
    const projB = rand([c]);
    const bias = rand([2, nh, n, n]);
    const scale = 0.7;
    const b = new GraphBuilder();
    const ins = [b.input('x', 'float32', x.shape), b.constant('qw', qkvW), b.constant('qb', qkvB), b.constant('pw', projW), b.constant('pb', projB), b.constant('bias', bias)];
    b.output(b.op('windowAttention', ins, { numHeads: nh, scale }, 'y', true));
    const y = evaluateGraph(b.build(), { x })['y']!;
    const hd = c / nh;
    for (let w = 0; w < bw; w++) {
      const proj = (row: number, i: number) => {
        let s = at(qkvB, [row]);
        for (let k = 0; k < c; k++) s += at(x, [w, i, k]) * at(qkvW, [row, k]);
        return s;
      };
      const ctx: number[][] = Array.from({ length: n }, () => new Array<number>(c).fill(0));
      for (let h = 0; h < nh; h++) {
        for (let i = 0; i < n; i++) {
          const scores: number[] = [];
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let d = 0; d < hd; d++) s += proj(h * hd + d, i) * scale * proj(c + h * hd + d, j);
            scores.push(s + at(bias, [w % 2, h, i, j]));
          }
          const m = Math.max(...scores);
          const e = scores.map((s) => Math.exp(s - m));
          const z = e.reduce((a, v) => a + v, 0);
          for (let d = 0; d < hd; d++) for (let j = 0; j < n; j++) ctx[i]![h * hd + d]! += (e[j]! / z) * proj(2 * c + h * hd + d, j);
        }
      }
      for (let i = 0; i < n; i++)
        for (let o = 0; o < c; o++) {
          let s = at(projB, [o]);
          for (let k = 0; k < c; k++) s += ctx[i]![k]! * at(projW, [o, k]);
          expect(at(y, [w, i, o])).toBeCloseTo(s, 4);
        }
    }
  });
});

describe('named inputs (OP_INPUTS / bindInputs)', () => {
  it('names positional inputs after the op row, optional ones undefined', () => {
    expect(bindInputs('windowAttention', ['x', 'qkvW', undefined, 'projW', 'projB', 'bias'], 'test')).toEqual({
      x: 'x',
      qkvWeight: 'qkvW',
      qkvBias: undefined,
      projWeight: 'projW',
      projBias: 'projB',
      attnBias: 'bias',
    });
    expect(bindInputs('layerNorm', ['x'], 'test')).toEqual({ x: 'x', gamma: undefined, beta: undefined });
    expect(bindInputs('concat', ['a', 'b', 'c'], 'test')).toEqual({ xs: ['a', 'b', 'c'] });
  });

  it('refuses an absent required input or an extra one, naming the op, the input and where', () => {
    expect(() => bindInputs('windowAttention', ['x', 'qkvW', '', 'projW', '', undefined], "node 'blk'")).toThrow(/node 'blk': windowAttention input 'attnBias' \(#5\) is required but absent/);
    expect(() => bindInputs('gelu', ['x', 'y'], 'test')).toThrow(/gelu takes 1 inputs \(x\), found 2/);
    expect(() => bindInputs('concat', ['a', undefined], 'test')).toThrow(/concat input 1 is required/);
    expect(() => inferOutputType('add', [{ dtype: 'float32', shape: [2] }], {})).toThrow(SwinError);
  });

  it('has a row for every op of the contract', () => {
    expect(Object.keys(OP_INPUTS).sort()).toEqual([...ALL_OPS].sort());
  });
});
