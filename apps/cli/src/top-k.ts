import { toFloat32, type TensorData } from '@swin/core';

/** One ranked entry. */
export interface Ranked {
  readonly index: number;
  readonly value: number;
}

/** Top-k entries of each row of a [N, K] tensor, largest first. */
export function formatTopK(t: TensorData, k: number): Ranked[][] {
  const data = toFloat32(t).data;
  const cols = t.shape[t.shape.length - 1]!;
  const rows: Ranked[][] = [];
  for (let r = 0; r < data.length / cols; r++) {
    const row = Array.from(data.subarray(r * cols, (r + 1) * cols), (value, index) => ({ index, value }));
    row.sort((a, b) => b.value - a.value);
    rows.push(row.slice(0, k));
  }
  return rows;
}

/** Softmax of each row (for probabilities next to labels). */
export function softmaxRows(t: TensorData): Float32Array {
  const data = toFloat32(t).data;
  const cols = t.shape[t.shape.length - 1]!;
  const out = new Float32Array(data.length);
  for (let r = 0; r < data.length; r += cols) {
    let max = -Infinity;
    for (let i = 0; i < cols; i++) max = Math.max(max, data[r + i]!);
    let sum = 0;
    for (let i = 0; i < cols; i++) sum += Math.exp(data[r + i]! - max);
    for (let i = 0; i < cols; i++) out[r + i] = Math.exp(data[r + i]! - max) / sum;
  }
  return out;
}
