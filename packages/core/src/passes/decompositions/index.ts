import type { CompositeOp } from '../../ops/op-set.js';
import type { Decomposition } from './decomposition.js';
import { decomposeLinear } from './linear.js';
import { decomposePatchMerging } from './patch-merging.js';
import { decomposeWindowAttention } from './window-attention.js';
import { decomposeWindowPartition } from './window-partition.js';
import { decomposeWindowReverse } from './window-reverse.js';

/** Every composite's decomposition into primitives. */
export const DECOMPOSITIONS: { [O in CompositeOp]: Decomposition<O> } = {
  linear: decomposeLinear,
  windowPartition: decomposeWindowPartition,
  windowReverse: decomposeWindowReverse,
  windowAttention: decomposeWindowAttention,
  patchMerging: decomposePatchMerging,
};

export type { Decomposition } from './decomposition.js';
