import type { Graph } from '../graph/graph.js';
import { checkGraphMemory } from '../memory/allocation-budget.js';
import type { OpName } from '../ops/op-set.js';
import { eliminateDeadValues } from './eliminate-dead-values.js';
import { foldConstants } from './fold-constants.js';
import { lowerComposites } from './lower-composites.js';

/** The standard pipeline before compile: lower unsupported composites, fold constants, drop dead values. */
export function prepareGraph(graph: Graph, supported: ReadonlySet<OpName>): Graph {
  const lowered = lowerComposites(graph, supported);
  // Folding and running allocate what this graph declares: refuse a graph that cannot fit first.
  checkGraphMemory(lowered, 'compiling the model');
  return eliminateDeadValues(foldConstants(lowered));
}
