import { shapeSize } from '../../tensor/tensor.js';

/**
 * For each element of `shape` in row-major order, the flat offset `base + sum_a idx_a * strides[a]`
 * into a source: a view (transpose, slice), or a broadcast (stride 0 on a broadcast axis).
 * `strides` has one entry per axis of `shape`.
 */
export function stridedOffsets(shape: readonly number[], base: number, strides: readonly number[]): Int32Array {
  const n = shapeSize(shape);
  const offsets = new Int32Array(n);
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  let off = base;
  // a < rank = idx.length = strides.length = shape.length (the callers' contract).
  for (let i = 0; i < n; i++) {
    offsets[i] = off;
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]!++;
      off += strides[a]!;
      if (idx[a]! < shape[a]!) break;
      off -= strides[a]! * shape[a]!;
      idx[a] = 0;
    }
  }
  return offsets;
}
