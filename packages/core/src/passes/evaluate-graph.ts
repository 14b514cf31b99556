import { SwinError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import { runKernel } from '../ops/kernel.js';
import { REFERENCE_KERNELS } from '../ops/reference/reference-kernels.js';
import type { TensorData } from '../tensor/tensor.js';
import { lowerComposites } from './lower-composites.js';

/** Runs a graph synchronously with the reference kernels (composites lowered); for folding and tests. */
export function evaluateGraph(graph: Graph, inputs: Record<string, TensorData>): Record<string, TensorData> {
  const g = lowerComposites(graph, new Set());
  const env = new Map<string, TensorData>(g.constants);
  for (const i of g.inputs) {
    const t = inputs[i.name];
    if (!t) throw new SwinError('INVALID_ARGUMENT', `missing input '${i.name}'`);
    env.set(i.name, t);
  }
  for (const node of g.nodes) {
    const args = node.inputs.map((n) => (n === '' ? undefined : env.get(n)));
    const output = g.values.get(node.output);
    if (!output) throw new SwinError('INVALID_ARGUMENT', `node '${node.name}' has no type for its output '${node.output}'`);
    env.set(node.output, runKernel(REFERENCE_KERNELS, node, args, { node, output }));
  }
  return Object.fromEntries(
    g.outputs.map((o) => {
      const t = env.get(o.name);
      if (!t) throw new SwinError('INVALID_ARGUMENT', `graph output '${o.name}' is never computed`);
      return [o.name, t];
    }),
  );
}
