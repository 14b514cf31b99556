import type * as tf from '@tensorflow/tfjs-core';
import type { CompositeOp, KernelTable, KernelsFor, OpName } from '@swin/core';
import type { DerivedTensorCache } from '../derived-tensor-cache.js';

/** What kernels share within one backend instance. */
export interface TfjsKernelContext {
  readonly derived: DerivedTensorCache;
}

/** The composites tfjs runs natively: all of them (see tfjs-kernel-table.ts for why each one). */
export type TfjsNativeComposite = CompositeOp;

/** The tfjs backend's complete kernel table: every primitive and every native composite, checked by tsc. */
export type TfjsKernelTable = KernelTable<tf.Tensor, TfjsNativeComposite>;

/** A group of tfjs kernels for the ops O, assembled into the table by createTfjsKernelTable. */
export type TfjsKernels<O extends OpName> = KernelsFor<tf.Tensor, O>;

/** Normalizes a possibly negative axis. */
export function axisOf(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
