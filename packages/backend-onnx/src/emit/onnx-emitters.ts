import type { OpName } from '@swin/core';
import { emitLinear } from './emit-linear.js';
import { PRIMITIVE_EMITTERS, type OpEmitter } from './emit-primitives.js';
import { emitPatchMerging, emitWindowPartition, emitWindowReverse } from './emit-token-moves.js';
import { emitWindowAttention } from './emit-window-attention.js';

/** Every op of the contract, composites included: the exporter never needs core's lowering. */
export const ONNX_EMITTERS: { [O in OpName]: OpEmitter<O> } = {
  ...PRIMITIVE_EMITTERS,
  linear: (em, node, out) => {
    emitLinear(em, em.required(node, 0), em.required(node, 1), em.input(node, 2), out, em.constantOf(node.inputs[1]!));
  },
  windowPartition: emitWindowPartition,
  windowReverse: emitWindowReverse,
  windowAttention: emitWindowAttention,
  patchMerging: emitPatchMerging,
};
