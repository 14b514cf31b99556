import { dimAt, dimsOf, formatShape, tensor, toFloat32, WeightError, type TensorData } from '@swin/core';
import { derivedLazy, type LazyTensor } from '../tensors/lazy-tensor.js';
import { tableWindow } from '../derived/expected-derived-buffers.js';
import { bicubicResize } from './bicubic-resize.js';

/**
 * Resizes a relative position bias table ((2M-1)^2, heads) for another window, as the official
 * fine-tuning loader does: each head's (2M-1) x (2M-1) grid of offsets is resampled bicubically.
 */
export function resizeRelativePositionBias(table: TensorData, targetWindow: number, name = 'relative_position_bias_table'): TensorData<'float32'> {
  const from = table.shape.length === 2 ? tableWindow(table.shape[0]) : undefined;
  if (from === undefined) {
    throw new WeightError('WEIGHT_SHAPE_MISMATCH', name, `weight '${name}': expected ((2M-1)^2, heads), found ${formatShape(table.shape)}`);
  }
  const [rows, heads] = dimsOf(table.shape, 2, name);
  const s1 = 2 * from - 1;
  const s2 = 2 * targetWindow - 1;
  const src = toFloat32(table).data;
  // (rows, heads) -> (heads, s1, s1)
  const planes = new Float32Array(rows * heads);
  // src holds rows x heads values, resized s2 x s2 x heads: the indices below stay inside them.
  for (let r = 0; r < rows; r++) for (let h = 0; h < heads; h++) planes[h * rows + r] = src[r * heads + h]!;
  const resized = bicubicResize(planes, heads, s1, s1, s2, s2);
  const out = new Float32Array(s2 * s2 * heads);
  for (let r = 0; r < s2 * s2; r++) for (let h = 0; h < heads; h++) out[r * heads + h] = resized[h * s2 * s2 + r]!;
  return tensor('float32', [s2 * s2, heads], out);
}

/**
 * Resizes an absolute position embedding (1, H*W, C) from an H x W token grid to another, bicubic
 * per channel (the official loader's rule for `absolute_pos_embed`).
 */
export function resizeAbsolutePositionEmbedding(embed: TensorData, from: readonly [number, number], to: readonly [number, number], name = 'absolute_pos_embed'): TensorData<'float32'> {
  const [h1, w1] = from;
  const [h2, w2] = to;
  if (embed.shape.length !== 3 || embed.shape[0] !== 1 || embed.shape[1] !== h1 * w1) {
    throw new WeightError('WEIGHT_SHAPE_MISMATCH', name, `weight '${name}': expected (1, ${h1 * w1}, C) for a ${h1}x${w1} grid, found ${formatShape(embed.shape)}`);
  }
  const [, , c] = dimsOf(embed.shape, 3, name);
  const src = toFloat32(embed).data;
  // src holds h1 * w1 x c values, resized h2 * w2 x c: the indices below stay inside them.
  const planes = new Float32Array(c * h1 * w1);
  for (let p = 0; p < h1 * w1; p++) for (let k = 0; k < c; k++) planes[k * h1 * w1 + p] = src[p * c + k]!;
  const resized = bicubicResize(planes, c, h1, w1, h2, w2);
  const out = new Float32Array(h2 * w2 * c);
  for (let p = 0; p < h2 * w2; p++) for (let k = 0; k < c; k++) out[p * c + k] = resized[k * h2 * w2 + p]!;
  return tensor('float32', [1, h2 * w2, c], out);
}

/** Lazy form of resizeRelativePositionBias for streaming conversion. */
export function resizeRelativePositionBiasLazy(t: LazyTensor, targetWindow: number, name: string): LazyTensor {
  const s2 = 2 * targetWindow - 1;
  return derivedLazy('float32', [s2 * s2, dimAt(t.shape, 1, name)], () => resizeRelativePositionBias(t.load(), targetWindow, name));
}

/** Lazy form of resizeAbsolutePositionEmbedding. */
export function resizeAbsolutePositionEmbeddingLazy(t: LazyTensor, from: readonly [number, number], to: readonly [number, number], name: string): LazyTensor {
  return derivedLazy('float32', [1, to[0] * to[1], dimAt(t.shape, 2, name)], () => resizeAbsolutePositionEmbedding(t.load(), from, to, name));
}
