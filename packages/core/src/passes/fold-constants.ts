import type { Graph } from '../graph/graph.js';
import type { TensorData } from '../tensor/tensor.js';
import { REFERENCE_KERNELS } from '../ops/reference/reference-kernels.js';
import { DECOMPOSITIONS } from '../ops/decompositions/index.js';
import { isComposite, type CompositeOp } from '../ops/op-set.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import { keepNode, rewriteGraph } from './rewrite-graph.js';
import { evaluateGraph } from './evaluate-graph.js';

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
    const value = evaluateNode(node.op, args, node.attrs);
    known.set(node.output, value);
    return b.constant(node.output, value);
  });
}

function evaluateNode(op: Graph['nodes'][number]['op'], args: (TensorData | undefined)[], attrs: unknown): TensorData {
  if (!isComposite(op)) {
    const kernel = REFERENCE_KERNELS[op] as (a: typeof args, at: unknown) => TensorData;
    return kernel(args, attrs);
  }
  // A composite over constants: build its decomposition as a tiny graph and run that.
  const b = new GraphBuilder(false);
  const ins = args.map((t, i) => (t ? b.constant(`in${i}`, t) : undefined));
  const decompose = DECOMPOSITIONS[op as CompositeOp] as (bb: GraphBuilder, i: typeof ins, a: unknown) => ReturnType<GraphBuilder['add']>;
  b.output(decompose(b, ins, attrs));
  const g = b.build();
  return evaluateGraph(g, {})[g.outputs[0]!.name]!;
}
