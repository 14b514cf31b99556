import type { GraphNode, OpName } from '@swin/core';
import { emitLinear } from './emit-linear.js';
import { PRIMITIVE_EMITTERS, type EmitTarget, type OpEmitter } from './emit-primitives.js';
import type { OnnxGraphEmitter } from './onnx-graph-emitter.js';
import { emitPatchMerging, emitWindowPartition, emitWindowReverse } from './emit-token-moves.js';
import { emitWindowAttention } from './emit-window-attention.js';

/** Every op of the contract, composites included: the exporter never needs core's lowering. */
export const ONNX_EMITTERS: { [O in OpName]: OpEmitter<O> } = {
  ...PRIMITIVE_EMITTERS,
  linear: (em, node, out) => {
    const { x, weight, bias } = em.inputs(node);
    const names = em.inputNames(node);
    emitLinear(em, x, weight, bias, out, em.constantOf(names.weight));
  },
  windowPartition: emitWindowPartition,
  windowReverse: emitWindowReverse,
  windowAttention: emitWindowAttention,
  patchMerging: emitPatchMerging,
};

/** Emits one core node with its op's emitter. */
export function emitNode<O extends OpName>(em: OnnxGraphEmitter, node: GraphNode<O>, out: EmitTarget): void {
  const emit: OpEmitter<O> = ONNX_EMITTERS[node.op];
  emit(em, node, out);
}
