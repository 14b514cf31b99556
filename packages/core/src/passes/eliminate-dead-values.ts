import type { Graph, GraphNode } from '../graph/graph.js';
import type { TensorData } from '../tensor/tensor.js';

/** Drops nodes and constants no output depends on. */
export function eliminateDeadValues(graph: Graph): Graph {
  const live = new Set(graph.outputs.map((o) => o.name));
  const kept: GraphNode[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!; // 0 <= i < nodes.length
    if (!live.has(node.output)) continue;
    kept.push(node);
    for (const n of node.inputs) if (n !== '') live.add(n);
  }
  kept.reverse();
  const constants = new Map<string, TensorData>();
  for (const [k, v] of graph.constants) if (live.has(k)) constants.set(k, v);
  const values = new Map([...graph.values].filter(([k]) => live.has(k) || graph.inputs.some((i) => i.name === k)));
  return { ...graph, nodes: kept, constants, values };
}
