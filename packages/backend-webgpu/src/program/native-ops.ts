import { PRIMITIVE_OPS, type OpName } from '@swin/core';

/**
 * Ops this backend runs with its own kernels: every primitive plus every composite, so core never
 * lowers Swin's blocks and the fused kernels see whole windowAttention / partition / reverse nodes.
 */
export const NATIVE_OPS: ReadonlySet<OpName> = new Set<OpName>([
  ...PRIMITIVE_OPS,
  'linear',
  'windowPartition',
  'windowReverse',
  'windowAttention',
  'patchMerging',
]);
