import { stridesOf } from '../../tensor/tensor.js';
import { stridedOffsets } from './strided-offsets.js';

/**
 * For each output element of a broadcast, the flat index into an input of shape `inShape`.
 * Precomputed once per call so the elementwise loops stay simple.
 */
export function broadcastIndexMap(inShape: readonly number[], outShape: readonly number[]): Int32Array | null {
  const rank = outShape.length;
  const padded = [...new Array<number>(rank - inShape.length).fill(1), ...inShape];
  if (padded.every((d, i) => d === outShape[i])) return null; // identity
  const inStrides = stridesOf(padded).map((s, i) => (padded[i] === 1 ? 0 : s));
  return stridedOffsets(outShape, 0, inStrides);
}
