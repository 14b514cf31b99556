import { ShapeError, SwinError } from '../../errors.js';
import { normalizeAxis } from '../broadcast.js';
import { allocArray } from '../../tensor/dtype.js';
import { shapeSize, stridesOf, type TensorData } from '../../tensor/tensor.js';
import type { OpAttrs } from '../op-set.js';
import { resolveSlice } from '../shape-inference.js';
import { stridedOffsets } from './strided-offsets.js';

type AnyArray = { length: number; [i: number]: number | bigint };

// Each kernel runs a node whose type shape inference checked (GraphBuilder builds every node
// through it): perm is a permutation of the axes, pads has 2 * rank entries, axes are in range and
// concat's inputs share their rank. The `]!` below rest on that and on the loop bounds they name.

/** Generic strided copy: out[idx] = in[base + sum idx_a * inStride_a]. */
function stridedCopy(x: TensorData, outShape: readonly number[], base: number, inStrides: readonly number[]): TensorData {
  const offsets = stridedOffsets(outShape, base, inStrides);
  const out = allocArray(x.dtype, offsets.length) as unknown as AnyArray;
  const src = x.data as unknown as AnyArray;
  // i < offsets.length = out.length; the caller's base, strides and shape describe a view inside x,
  // so every offset is in src.
  for (let i = 0; i < offsets.length; i++) out[i] = src[offsets[i]!]!;
  return { dtype: x.dtype, shape: [...outShape], data: out as unknown as TensorData['data'] };
}

/** Permutes axes. */
export function transposeKernel(x: TensorData, perm: readonly number[]): TensorData {
  const strides = stridesOf(x.shape);
  // perm is a permutation of x's axes; strides has one entry per axis.
  return stridedCopy(x, perm.map((p) => x.shape[p]!), 0, perm.map((p) => strides[p]!));
}

/** Python-style strided slice. */
export function sliceKernel(x: TensorData, attrs: OpAttrs['slice']): TensorData {
  const { start, step, size } = resolveSlice(x.shape, attrs);
  const strides = stridesOf(x.shape);
  let base = 0;
  // resolveSlice gives start, step and size one entry per axis, as stridesOf does.
  for (let a = 0; a < x.shape.length; a++) base += start[a]! * strides[a]!;
  return stridedCopy(x, size, base, strides.map((s, a) => s * step[a]!));
}

/** Concatenation along an axis. */
export function concatKernel(xs: readonly TensorData[], axisRaw: number): TensorData {
  const [first] = xs;
  if (!first) throw new ShapeError('concat: needs at least one input');
  const axis = normalizeAxis(axisRaw, first.shape.length, 'concat');
  const outer = shapeSize(first.shape.slice(0, axis));
  const inner = shapeSize(first.shape.slice(axis + 1));
  // Every input has first's rank, and axis < that rank.
  const total = xs.reduce((s, t) => s + t.shape[axis]!, 0);
  const shape = [...first.shape];
  shape[axis] = total;
  const out = allocArray(first.dtype, shapeSize(shape)) as unknown as { set(a: ArrayLike<unknown>, o: number): void };
  let col = 0;
  for (const t of xs) {
    const chunk = t.shape[axis]! * inner;
    const src = t.data as unknown as { subarray(a: number, b: number): ArrayLike<unknown> };
    for (let o = 0; o < outer; o++) out.set(src.subarray(o * chunk, (o + 1) * chunk), o * total * inner + col * inner);
    col += t.shape[axis]!;
  }
  return { dtype: first.dtype, shape, data: out as unknown as TensorData['data'] };
}

/** Constant padding. */
export function padKernel(x: TensorData, pads: readonly number[], value: number): TensorData {
  const rank = x.shape.length;
  // pads has 2 * rank entries; in the loop a < rank = idx.length = outStrides.length and i < inN = src.length.
  const shape = x.shape.map((d, i) => d + pads[i]! + pads[i + rank]!);
  const n = shapeSize(shape);
  const out = allocArray(x.dtype, n) as unknown as AnyArray & { fill(v: number | bigint): void };
  if (value !== 0) out.fill(x.dtype === 'int64' ? BigInt(value) : value);
  const src = x.data as unknown as AnyArray;
  const outStrides = stridesOf(shape);
  const inN = shapeSize(x.shape);
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < inN; i++) {
    let o = 0;
    for (let a = 0; a < rank; a++) o += (idx[a]! + pads[a]!) * outStrides[a]!;
    out[o] = src[i]!;
    for (let a = rank - 1; a >= 0; a--) {
      if (++idx[a]! < x.shape[a]!) break;
      idx[a] = 0;
    }
  }
  return { dtype: x.dtype, shape, data: out as unknown as TensorData['data'] };
}

/** Gather along an axis with int32 indices (negative indices count from the end). */
export function gatherKernel(data: TensorData, indices: TensorData, axisRaw: number): TensorData {
  const axis = normalizeAxis(axisRaw, data.shape.length, 'gather');
  const outer = shapeSize(data.shape.slice(0, axis));
  const inner = shapeSize(data.shape.slice(axis + 1));
  const dim = data.shape[axis]!; // axis was normalized into [0, rank)
  const idx = indices.data as Int32Array;
  const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
  const out = allocArray(data.dtype, shapeSize(shape)) as unknown as { set(a: ArrayLike<unknown>, o: number): void };
  const src = data.data as unknown as { subarray(a: number, b: number): ArrayLike<unknown> };
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idx.length; j++) {
      let k = idx[j]!; // j < idx.length
      if (k < 0) k += dim;
      if (k < 0 || k >= dim) throw new SwinError('INVALID_ARGUMENT', `gather: index ${idx[j]} out of range for axis of size ${dim}`);
      const from = (o * dim + k) * inner;
      out.set(src.subarray(from, from + inner), (o * idx.length + j) * inner);
    }
  }
  return { dtype: data.dtype, shape, data: out as unknown as TensorData['data'] };
}
