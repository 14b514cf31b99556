import type { GraphBuilder, Value } from '../graph/graph-builder.js';
import type { GraphNode } from '../graph/graph.js';
import { bindInputs } from '../ops/op-inputs.js';
import { isComposite, type CompositeOp, type OpName } from '../ops/op-set.js';
import { DECOMPOSITIONS } from './decompositions/index.js';
import { keepNode, rewriteGraph } from './rewrite-graph.js';
import type { Graph } from '../graph/graph.js';

/** Emits composite `node`'s decomposition on `b`, its inputs named after the op's row in OP_INPUTS. */
export function decomposeNode<O extends CompositeOp>(b: GraphBuilder, node: GraphNode<O>, inputs: readonly (Value | undefined)[]): Value {
  const decompose = DECOMPOSITIONS[node.op];
  return decompose(b, bindInputs(node.op, inputs, `node '${node.name}'`), node.attrs);
}

/**
 * Replaces every composite the backend does not list with its decomposition, repeating until only
 * supported composites remain (a decomposition may itself use composites, e.g. linear).
 */
export function lowerComposites(graph: Graph, supported: ReadonlySet<OpName>): Graph {
  let g = graph;
  for (let round = 0; round < 8; round++) {
    if (!g.nodes.some((n) => isComposite(n.op) && !supported.has(n.op))) return g;
    g = rewriteGraph(g, (b, node, inputs) => {
      if (!isCompositeNode(node) || supported.has(node.op)) return keepNode(b, node, inputs);
      return b.scope(node.name, () => decomposeNode(b, node, inputs));
    });
  }
  throw new Error('lowerComposites: decompositions did not converge');
}

/** Narrows a node to the composite ops. */
export function isCompositeNode(node: GraphNode): node is GraphNode<CompositeOp> {
  return isComposite(node.op);
}
