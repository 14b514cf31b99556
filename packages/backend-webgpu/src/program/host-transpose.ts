import { dimsOf, tensor, toFloat32, type TensorData } from '@swin/core';

/**
 * [N, K] -> [K, N] on the host, once at compile: linear weights are stored K-major so the matmul's
 * B tiles load 64 consecutive output columns per k (coalesced) instead of 4 k's per column.
 */
export function transposeMatrix(w: TensorData): TensorData<'float32'> {
  const src = toFloat32(w).data;
  const [n, k] = dimsOf(w.shape, 2, 'linear weight');
  const out = new Float32Array(n * k);
  // src holds n * k values: i < n, j < k index inside it.
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[j * n + i] = src[i * k + j]!;
  return tensor('float32', [k, n], out);
}
