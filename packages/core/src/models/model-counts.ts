import type { Graph, GraphNode } from '../graph/graph.js';
import { bindInputs } from '../ops/op-inputs.js';
import { dimAt, dimsOf } from '../tensor/shape-dims.js';
import { shapeSize } from '../tensor/tensor.js';

/**
 * Multiply-accumulates per run at the graph's nominal batch, counted the way the Swin papers'
 * "FLOPs" are: matmuls, convolutions and linears by their MACs, LayerNorm one per element,
 * attention as its four products; elementwise ops, softmax and data movement are free. Nodes whose
 * inputs are all constants (position-bias MLPs, masks, weight slices) are not counted: constant
 * folding runs them once at compile, not per run.
 */
export function countMacs(graph: Graph): number {
  const shape = (name: string) => graph.values.get(name)!.shape;
  const inputShapes = (node: GraphNode) => node.inputs.map((n) => (n === '' ? undefined : shape(n)));
  const folded = new Set(graph.constants.keys());
  let macs = 0;
  for (const node of graph.nodes) {
    if (node.inputs.every((n) => n === '' || folded.has(n))) {
      folded.add(node.output);
      continue;
    }
    const out = shape(node.output);
    const where = `countMacs, node '${node.name}'`;
    switch (node.op) {
      case 'matmul': {
        const { a } = bindInputs(node.op, inputShapes(node), where);
        macs += shapeSize(out) * dimAt(a, -1, where);
        break;
      }
      case 'linear':
        macs += shapeSize(out) * dimAt(bindInputs(node.op, inputShapes(node), where).weight, 1, where);
        break;
      case 'conv2d': {
        const [, ci, kh, kw] = dimsOf(bindInputs(node.op, inputShapes(node), where).weight, 4, where);
        macs += shapeSize(out) * ci * kh * kw;
        break;
      }
      case 'layerNorm':
        macs += shapeSize(out);
        break;
      case 'windowAttention': {
        const [bw, n, c] = dimsOf(out, 3, where);
        macs += bw * n * c * 3 * c + 2 * bw * n * n * c + bw * n * c * c;
        break;
      }
      default:
        break;
    }
  }
  return macs;
}
