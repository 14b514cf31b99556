import { normalizeAxis } from '../broadcast.js';
import { shapeSize, stridesOf, type TensorData } from '../../tensor/tensor.js';
import { asFloat32 } from './as-float32.js';

/** Sum (or mean) over axes with float64 accumulation. */
export function reduceKernel(x: TensorData, axesRaw: readonly number[], keepDims: boolean, mean: boolean): TensorData<'float32'> {
  const src = asFloat32(x);
  const rank = x.shape.length;
  const axes = new Set(axesRaw.map((a) => normalizeAxis(a, rank, 'reduce')));
  const keptShape = x.shape.map((d, i) => (axes.has(i) ? 1 : d));
  const outStrides = stridesOf(keptShape).map((s, i) => (axes.has(i) ? 0 : s));
  const acc = new Float64Array(shapeSize(keptShape));
  const idx = new Array<number>(rank).fill(0);
  let count = 1;
  // Axes were normalized into [0, rank); in the loop a < rank = idx.length = outStrides.length,
  // i < src.length, and o indexes keptShape, the size of acc.
  for (const a of axes) count *= x.shape[a]!;
  for (let i = 0; i < src.length; i++) {
    let o = 0;
    for (let a = 0; a < rank; a++) o += idx[a]! * outStrides[a]!;
    acc[o]! += src[i]!;
    for (let a = rank - 1; a >= 0; a--) {
      if (++idx[a]! < x.shape[a]!) break;
      idx[a] = 0;
    }
  }
  const out = new Float32Array(acc.length);
  // i < acc.length
  for (let i = 0; i < acc.length; i++) out[i] = mean ? acc[i]! / count : acc[i]!;
  const shape = keepDims ? keptShape : x.shape.filter((_, i) => !axes.has(i));
  return { dtype: 'float32', shape, data: out };
}
