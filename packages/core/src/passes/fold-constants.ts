import { SwinError } from '../errors.js';
import type { Graph, GraphNode } from '../graph/graph.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import { runKernel } from '../ops/kernel.js';
import { REFERENCE_KERNELS } from '../ops/reference/reference-kernels.js';
import type { TensorData } from '../tensor/tensor.js';
import { evaluateGraph } from './evaluate-graph.js';
import { decomposeNode, isCompositeNode } from './lower-composites.js';
import { keepNode, rewriteGraph } from './rewrite-graph.js';

/**
 * Evaluates, once, every node whose inputs are all constants (relative position bias gathered
 * from its table, the shift mask, weight slices) and makes its result a constant.
 */
export function foldConstants(graph: Graph): Graph {
  const known = new Map<string, TensorData>(graph.constants);
  return rewriteGraph(graph, (b, node, inputs) => {
    const allConst = node.inputs.every((n) => n === '' || known.has(n));
    if (!allConst || node.inputs.length === 0) return keepNode(b, node, inputs);
    const args = node.inputs.map((n) => (n === '' ? undefined : known.get(n)));
    const value = evaluateNode(graph, node, args);
    known.set(node.output, value);
    return b.constant(node.output, value);
  });
}

function evaluateNode(graph: Graph, node: GraphNode, args: (TensorData | undefined)[]): TensorData {
  if (!isCompositeNode(node)) {
    const output = graph.values.get(node.output);
    if (!output) throw new SwinError('INVALID_ARGUMENT', `node '${node.name}' has no type for its output '${node.output}'`);
    return runKernel(REFERENCE_KERNELS, node, args, { node, output });
  }
  // A composite over constants: build its decomposition as a tiny graph and run that.
  const b = new GraphBuilder(false);
  const ins = args.map((t, i) => (t ? b.constant(`in${i}`, t) : undefined));
  const out = b.output(decomposeNode(b, node, ins));
  const value = evaluateGraph(b.build(), {})[out.name];
  if (!value) throw new SwinError('INVALID_ARGUMENT', `folding node '${node.name}' produced no value`);
  return value;
}
