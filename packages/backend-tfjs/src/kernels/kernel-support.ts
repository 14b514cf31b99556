import type * as tf from '@tensorflow/tfjs-core';
import { SwinError, type KernelTable } from '@swin/core';
import type { DerivedTensorCache } from '../derived-tensor-cache.js';

/** What kernels share within one backend instance. */
export interface TfjsKernelContext {
  readonly derived: DerivedTensorCache;
}

/** A kernel table over tfjs tensors. */
export type TfjsKernelTable = KernelTable<tf.Tensor>;

/** Input i, which shape inference already guaranteed is present. */
export function input(inputs: (tf.Tensor | undefined)[], i: number): tf.Tensor {
  const t = inputs[i];
  if (!t) throw new SwinError('INVALID_ARGUMENT', `tfjs kernel: required input ${i} is absent`);
  return t;
}

/** Normalizes a possibly negative axis. */
export function axisOf(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
