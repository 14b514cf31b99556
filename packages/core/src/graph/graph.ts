import type { DType } from '../tensor/dtype.js';
import type { TensorData } from '../tensor/tensor.js';
import type { OpAttrs, OpName } from '../ops/op-set.js';

/** Static type of a value in the graph. Dim 0 of batch-carrying values is the nominal batch. */
export interface ValueInfo {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/** One application of op O. Inputs name values ('' = absent optional input), in OP_INPUTS order; exactly one output. */
export interface OpNode<O extends OpName> {
  readonly op: O;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly output: string;
  readonly attrs: OpAttrs[O];
}

/**
 * A node of the graph: a union discriminated by `op`, so `node.op === 'matmul'` narrows
 * `node.attrs` to matmul's attributes. `GraphNode<'a' | 'b'>` is the union over those ops only.
 */
export type GraphNode<O extends OpName = OpName> = { [K in O]: OpNode<K> }[O];

/**
 * A model as a DAG of ops in topological order. `constants` hold weights and folded values;
 * `values` types every input, constant and node output.
 */
export interface Graph {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly nodes: readonly GraphNode[];
  readonly constants: ReadonlyMap<string, TensorData>;
  readonly values: ReadonlyMap<string, ValueInfo>;
  /** True when every intermediate is linear in dim 0 of the inputs, so any batch size runs. */
  readonly dynamicBatch: boolean;
  /** Free-form facts about the graph (model family, resolved windows...), for tools and exporters. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Counts nodes per op, for reports and tests. */
export function countOps(graph: Graph): Map<OpName, number> {
  const counts = new Map<OpName, number>();
  for (const n of graph.nodes) counts.set(n.op, (counts.get(n.op) ?? 0) + 1);
  return counts;
}
