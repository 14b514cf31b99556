import { dimAt } from '../../tensor/shape-dims.js';
import type { TensorData } from '../../tensor/tensor.js';
import { asFloat32 } from './as-float32.js';

/** LayerNorm over the last axis, float64 statistics, biased variance. */
export function layerNormKernel(x: TensorData, gamma: TensorData | undefined, beta: TensorData | undefined, eps: number): TensorData<'float32'> {
  const src = asFloat32(x);
  const c = dimAt(x.shape, -1, 'layerNorm');
  const g = gamma ? asFloat32(gamma) : undefined;
  const b = beta ? asFloat32(beta) : undefined;
  const out = new Float32Array(src.length);
  // src holds whole rows of c (c is its last dim): row + i < src.length; gamma and beta are [c].
  for (let row = 0; row < src.length; row += c) {
    let mean = 0;
    for (let i = 0; i < c; i++) mean += src[row + i]!;
    mean /= c;
    let v = 0;
    for (let i = 0; i < c; i++) {
      const d = src[row + i]! - mean;
      v += d * d;
    }
    const inv = 1 / Math.sqrt(v / c + eps);
    for (let i = 0; i < c; i++) {
      const y = (src[row + i]! - mean) * inv;
      out[row + i] = y * (g ? g[i]! : 1) + (b ? b[i]! : 0);
    }
  }
  return { dtype: 'float32', shape: x.shape, data: out };
}

/** Softmax over the last axis, max-subtracted, float64 sums. */
export function softmaxKernel(x: TensorData): TensorData<'float32'> {
  const src = asFloat32(x);
  const c = dimAt(x.shape, -1, 'softmax');
  const out = new Float32Array(src.length);
  const e = new Float64Array(c);
  // src holds whole rows of c (its last dim): row + i < src.length, i < c = e.length.
  for (let row = 0; row < src.length; row += c) {
    let max = -Infinity;
    for (let i = 0; i < c; i++) max = Math.max(max, src[row + i]!);
    let sum = 0;
    for (let i = 0; i < c; i++) {
      e[i] = Math.exp(src[row + i]! - max);
      sum += e[i]!;
    }
    for (let i = 0; i < c; i++) out[row + i] = e[i]! / sum;
  }
  return { dtype: 'float32', shape: x.shape, data: out };
}
