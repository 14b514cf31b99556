import type { GraphBuilder, MaybeValue, Value } from '../../graph/graph-builder.js';
import type { WeightReader } from '../weight-map.js';

/**
 * Weights as graph constants for a model builder: each weight is checked against the shape the
 * architecture expects (null = any) and recorded as used, and the LayerNorm / Linear forms every
 * family repeats are one call each.
 */
export class BuilderWeights {
  constructor(
    private readonly b: GraphBuilder,
    readonly reader: WeightReader,
    private readonly eps: number,
  ) {}

  /** The weight `name` as a constant; it must exist with `shape`. */
  weight(name: string, shape: readonly (number | null)[]): Value {
    return this.b.constant(name, this.reader.take(name, shape));
  }

  /** Like weight, or undefined when the checkpoint has no such tensor (optional biases). */
  maybe(name: string, shape: readonly (number | null)[]): MaybeValue {
    const t = this.reader.maybe(name, shape);
    return t ? this.b.constant(name, t) : undefined;
  }

  /** LayerNorm over the last axis with `${prefix}.weight` / `${prefix}.bias`. */
  norm(x: Value, prefix: string, dim: number, name?: string): Value {
    return this.b.layerNorm(x, this.weight(`${prefix}.weight`, [dim]), this.weight(`${prefix}.bias`, [dim]), this.eps, name);
  }

  /** x @ W^T (+ bias when the checkpoint has `${prefix}.bias`). */
  linear(x: Value, prefix: string, out: number, inp: number, name?: string): Value {
    return this.b.linear(x, this.weight(`${prefix}.weight`, [out, inp]), this.maybe(`${prefix}.bias`, [out]), name);
  }
}
