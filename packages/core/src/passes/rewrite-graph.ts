import { GraphBuilder, type Value } from '../graph/graph-builder.js';
import type { Graph, GraphNode } from '../graph/graph.js';

/** Emits a replacement for one node; returns the value that stands for the node's output. */
export type NodeRewriter = (b: GraphBuilder, node: GraphNode, inputs: (Value | undefined)[]) => Value;

/**
 * Rebuilds a graph node by node through `rewrite`, keeping inputs, constants, metadata and the
 * names of graph outputs (a rewritten output is renamed back so callers still find it).
 */
export function rewriteGraph(graph: Graph, rewrite: NodeRewriter): Graph {
  const b = new GraphBuilder(graph.dynamicBatch);
  for (const [k, v] of Object.entries(graph.metadata)) b.setMetadata(k, v);
  const mapped = new Map<string, Value>();
  for (const i of graph.inputs) mapped.set(i.name, b.input(i.name, i.dtype, i.shape));
  for (const [name, t] of graph.constants) mapped.set(name, b.constant(name, t));
  const outputNames = new Set(graph.outputs.map((o) => o.name));
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((n) => (n === '' ? undefined : mapped.get(n)));
    node.inputs.forEach((n, i) => {
      if (n !== '' && !inputs[i]) throw new Error(`rewriteGraph: node '${node.name}' reads unknown value '${n}'`);
    });
    let out = rewrite(b, node, inputs);
    // Keep the original name where the replacement's last node allows it: names stay stable across passes.
    if (out.name !== node.output && b.isLastOutput(out) && !b.has(node.output)) out = b.renameLast(out, node.output);
    if (out.name !== node.output && outputNames.has(node.output)) {
      throw new Error(`rewriteGraph: graph output '${node.output}' was replaced by '${out.name}' and cannot keep its name`);
    }
    mapped.set(node.output, out);
  }
  for (const o of graph.outputs) {
    const v = mapped.get(o.name);
    if (!v) throw new Error(`rewriteGraph: output '${o.name}' was lost`);
    b.output(v);
  }
  return b.build();
}

/** The identity rewrite: re-emits the node as it is, under its own name. */
export function keepNode(b: GraphBuilder, node: GraphNode, inputs: (Value | undefined)[]): Value {
  return b.op(node.op, inputs, node.attrs, node.output, true);
}
