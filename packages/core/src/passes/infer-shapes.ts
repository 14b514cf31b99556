import { SwinError } from '../errors.js';
import type { Graph, ValueInfo } from '../graph/graph.js';
import { inferOutputType } from '../ops/shape-inference.js';

/**
 * Re-derives every value's type from the inputs, optionally at new input shapes (e.g. the batch
 * a backend compiles for). Validates a graph that did not come from GraphBuilder, too: any node
 * whose inputs do not fit fails with the op's own typed error.
 */
export function inferShapes(graph: Graph, inputShapes: Readonly<Record<string, readonly number[]>> = {}): Graph {
  const values = new Map<string, ValueInfo>();
  for (const i of graph.inputs) values.set(i.name, { ...i, shape: [...(inputShapes[i.name] ?? i.shape)] });
  for (const [name, t] of graph.constants) values.set(name, { name, dtype: t.dtype, shape: [...t.shape] });
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((n) => {
      if (n === '') return undefined;
      const v = values.get(n);
      if (!v) throw new SwinError('INVALID_ARGUMENT', `node '${node.name}' reads '${n}', which no input, constant or earlier node defines`);
      return v;
    });
    const t = inferOutputType(node.op, inputs, node.attrs);
    values.set(node.output, { name: node.output, dtype: t.dtype, shape: [...t.shape] });
  }
  return {
    ...graph,
    inputs: graph.inputs.map((i) => values.get(i.name)!),
    outputs: graph.outputs.map((o) => {
      const v = values.get(o.name);
      if (!v) throw new SwinError('INVALID_ARGUMENT', `graph output '${o.name}' is never defined`);
      return v;
    }),
    values,
  };
}
