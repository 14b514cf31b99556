import type { Graph } from '../graph/graph.js';
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
  const folded = new Set(graph.constants.keys());
  let macs = 0;
  for (const node of graph.nodes) {
    if (node.inputs.every((n) => n === '' || folded.has(n))) {
      folded.add(node.output);
      continue;
    }
    const out = shape(node.output);
    switch (node.op) {
      case 'matmul': {
        const a = shape(node.inputs[0]!);
        macs += shapeSize(out) * a[a.length - 1]!;
        break;
      }
      case 'linear':
        macs += shapeSize(out) * shape(node.inputs[1]!)[1]!;
        break;
      case 'conv2d': {
        const w = shape(node.inputs[1]!);
        macs += shapeSize(out) * w[1]! * w[2]! * w[3]!;
        break;
      }
      case 'layerNorm':
        macs += shapeSize(out);
        break;
      case 'windowAttention': {
        const [bw, n, c] = out as [number, number, number];
        macs += bw * n * c * 3 * c + 2 * bw * n * n * c + bw * n * c * c;
        break;
      }
      default:
        break;
    }
  }
  return macs;
}
