import { bindInputs, type GraphNode, type InputsOf, type OpName } from '@swin/core';

/** A graph node's input value names by slot (core's OP_INPUTS row); '' marks an absent optional input. */
export function nodeInputs<O extends OpName>(node: GraphNode<O>): InputsOf<O, string> {
  return bindInputs(node.op, node.inputs.map((n) => (n === '' ? undefined : n)), `webgpu: node '${node.name}'`);
}
