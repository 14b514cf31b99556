import type { GraphBuilder, Value } from '../../graph/graph-builder.js';
import type { InputsOf } from '../../ops/op-inputs.js';
import type { CompositeOp, OpAttrs } from '../../ops/op-set.js';

/** Expresses a composite op with primitives (or simpler composites) on a builder, from its named inputs. */
export type Decomposition<O extends CompositeOp> = (b: GraphBuilder, inputs: InputsOf<O, Value>, attrs: OpAttrs[O]) => Value;
