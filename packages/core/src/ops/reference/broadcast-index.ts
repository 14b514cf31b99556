import { shapeSize, stridesOf } from '../../tensor/tensor.js';

/**
 * For each output element of a broadcast, the flat index into an input of shape `inShape`.
 * Precomputed once per call so the elementwise loops stay simple.
 */
export function broadcastIndexMap(inShape: readonly number[], outShape: readonly number[]): Int32Array | null {
  const rank = outShape.length;
  const padded = [...new Array<number>(rank - inShape.length).fill(1), ...inShape];
  if (padded.every((d, i) => d === outShape[i])) return null; // identity
  const inStrides = stridesOf(padded).map((s, i) => (padded[i] === 1 ? 0 : s));
  const n = shapeSize(outShape);
  const map = new Int32Array(n);
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  // a < rank = idx.length = inStrides.length = outShape.length.
  for (let i = 0; i < n; i++) {
    map[i] = off;
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]!++;
      off += inStrides[a]!;
      if (idx[a]! < outShape[a]!) break;
      off -= inStrides[a]! * outShape[a]!;
      idx[a] = 0;
    }
  }
  return map;
}
