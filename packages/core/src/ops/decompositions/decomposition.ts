import type { GraphBuilder, MaybeValue, Value } from '../../graph/graph-builder.js';
import type { CompositeOp, OpAttrs } from '../op-set.js';

/** Expresses a composite op with primitives (or simpler composites) on a builder. */
export type Decomposition<O extends CompositeOp> = (b: GraphBuilder, inputs: readonly MaybeValue[], attrs: OpAttrs[O]) => Value;

/** Returns input i, which the op's shape inference already checked is present. */
export function required(inputs: readonly MaybeValue[], i: number): Value {
  const v = inputs[i];
  if (!v) throw new Error(`decomposition: input ${i} is absent`);
  return v;
}
