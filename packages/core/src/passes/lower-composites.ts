import { DECOMPOSITIONS } from '../ops/decompositions/index.js';
import { isComposite, type CompositeOp, type OpName } from '../ops/op-set.js';
import type { Graph } from '../graph/graph.js';
import { keepNode, rewriteGraph } from './rewrite-graph.js';

/**
 * Replaces every composite the backend does not list with its decomposition, repeating until only
 * supported composites remain (a decomposition may itself use composites, e.g. linear).
 */
export function lowerComposites(graph: Graph, supported: ReadonlySet<OpName>): Graph {
  let g = graph;
  for (let round = 0; round < 8; round++) {
    if (!g.nodes.some((n) => isComposite(n.op) && !supported.has(n.op))) return g;
    g = rewriteGraph(g, (b, node, inputs) => {
      if (!isComposite(node.op) || supported.has(node.op)) return keepNode(b, node, inputs);
      const op = node.op as CompositeOp;
      const decompose = DECOMPOSITIONS[op] as (bb: typeof b, i: typeof inputs, a: unknown) => ReturnType<typeof keepNode>;
      return b.scope(node.name, () => decompose(b, inputs, node.attrs));
    });
  }
  throw new Error('lowerComposites: decompositions did not converge');
}
