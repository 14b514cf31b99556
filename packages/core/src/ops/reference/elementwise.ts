import { broadcastShapes } from '../broadcast.js';
import { shapeSize, type TensorData } from '../../tensor/tensor.js';
import { broadcastIndexMap } from './broadcast-index.js';
import { asFloat32 } from './as-float32.js';

type BinaryFn = (a: number, b: number) => number;

/** Broadcasting binary op over float32 (int32 inputs keep int32). */
export function binaryKernel(a: TensorData, b: TensorData, fn: BinaryFn): TensorData {
  const shape = broadcastShapes(a.shape, b.shape);
  const n = shapeSize(shape);
  const isInt = a.dtype === 'int32' && b.dtype === 'int32';
  const out = isInt ? new Int32Array(n) : new Float32Array(n);
  const ad = isInt ? (a.data as Int32Array) : asFloat32(a);
  const bd = isInt ? (b.data as Int32Array) : asFloat32(b);
  const am = broadcastIndexMap(a.shape, shape);
  const bm = broadcastIndexMap(b.shape, shape);
  // i < n: a and b have n elements when unmapped (same shape as the output), and the index maps
  // hold n in-range indices into them.
  if (!am && !bm) {
    for (let i = 0; i < n; i++) out[i] = fn(ad[i]!, bd[i]!);
  } else {
    for (let i = 0; i < n; i++) out[i] = fn(ad[am ? am[i]! : i]!, bd[bm ? bm[i]! : i]!);
  }
  return { dtype: isInt ? 'int32' : 'float32', shape, data: out } as TensorData;
}

/** Elementwise unary op over float32. */
export function unaryKernel(x: TensorData, fn: (v: number) => number): TensorData<'float32'> {
  const src = asFloat32(x);
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = fn(src[i]!); // i < src.length
  return { dtype: 'float32', shape: x.shape, data: out };
}

// Float32 libraries approximate erf to ~1e-7; the reference must be float64-grade, so: the
// Maclaurin series below 3 (cancellation costs at most ~3 digits there) and the continued
// fraction of erfc above, evaluated backwards with enough terms to converge to double rounding.
/** Error function, accurate to ~1e-13 absolute. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  let r: number;
  if (ax < 3) {
    const x2 = ax * ax;
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    let t = ax;
    for (let n = 120; n >= 1; n--) t = ax + n / 2 / t;
    r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / t;
  }
  return x < 0 ? -r : r;
}

/** Exact GELU: 0.5 x (1 + erf(x / sqrt 2)). */
export function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}
