import { attr } from '../onnx/onnx-attributes.js';
import type { OnnxGraphEmitter, OnnxValue } from '../emit/onnx-graph-emitter.js';

/**
 * A size known when exporting (a number) or only at run time (an int64 [1] ONNX value computed
 * from the input's shape). Arithmetic on two numbers folds at export, so a quantity that does not
 * depend on the input size (channels, heads, the configured window) never becomes a node.
 */
export type RuntimeInt = number | OnnxValue;

/** Marks a dimension that only the run knows, in the emitter's nominal shapes. */
export const RUNTIME_DIM = -1;

const INT1 = { dtype: 'int64', shape: [1] } as const;

/**
 * Integer arithmetic over RuntimeInts as ONNX int64 nodes (Add, Sub, Mul, Div, Mod, Min, Max,
 * Greater, Where). Sizes are never negative, so Div is floor division and Mod (fmod = 0) follows
 * Python's sign rule, as the index formulas need.
 */
export class RuntimeInts {
  constructor(private readonly em: OnnxGraphEmitter) {}

  /** The int64 [1] value of n. */
  value(n: RuntimeInt): OnnxValue {
    return typeof n === 'number' ? this.em.int64s([n]) : n;
  }

  private binary(op: string, a: RuntimeInt, b: RuntimeInt, fold: (x: number, y: number) => number): RuntimeInt {
    if (typeof a === 'number' && typeof b === 'number') return fold(a, b);
    return this.em.node(op, [this.value(a), this.value(b)], INT1);
  }

  add(a: RuntimeInt, b: RuntimeInt): RuntimeInt {
    if (b === 0) return a;
    return this.binary('Add', a, b, (x, y) => x + y);
  }
  sub(a: RuntimeInt, b: RuntimeInt): RuntimeInt {
    if (b === 0) return a;
    return this.binary('Sub', a, b, (x, y) => x - y);
  }
  mul(a: RuntimeInt, b: RuntimeInt): RuntimeInt {
    if (a === 1) return b;
    if (b === 1) return a;
    return this.binary('Mul', a, b, (x, y) => x * y);
  }
  div(a: RuntimeInt, b: RuntimeInt): RuntimeInt {
    if (b === 1) return a;
    return this.binary('Div', a, b, (x, y) => Math.floor(x / y));
  }
  mod(a: RuntimeInt, b: RuntimeInt): RuntimeInt {
    return this.binary('Mod', a, b, (x, y) => ((x % y) + y) % y);
  }
  min(a: RuntimeInt, b: RuntimeInt): RuntimeInt {
    return this.binary('Min', a, b, Math.min);
  }
  max(a: RuntimeInt, b: RuntimeInt): RuntimeInt {
    return this.binary('Max', a, b, Math.max);
  }
  /** ceil(a / b) * b: a padded up to a multiple of b. */
  roundUp(a: RuntimeInt, b: RuntimeInt): RuntimeInt {
    return this.mul(this.div(this.add(a, this.sub(b, 1)), b), b);
  }
  /** ceil(a / b). */
  ceilDiv(a: RuntimeInt, b: RuntimeInt): RuntimeInt {
    return this.div(this.add(a, this.sub(b, 1)), b);
  }

  /** a > b as a bool [1] (or a boolean when both are known). */
  greater(a: RuntimeInt, b: RuntimeInt): boolean | OnnxValue {
    if (typeof a === 'number' && typeof b === 'number') return a > b;
    return this.em.node('Greater', [this.value(a), this.value(b)], { dtype: 'bool', shape: [1] });
  }

  /** cond ? a : b. */
  select(cond: boolean | OnnxValue, a: RuntimeInt, b: RuntimeInt): RuntimeInt {
    if (typeof cond === 'boolean') return cond ? a : b;
    if (a === b) return a;
    return this.em.node('Where', [cond, this.value(a), this.value(b)], INT1);
  }

  /** Dimension `axis` of x at run time. */
  dim(x: OnnxValue, axis: number): OnnxValue {
    return this.em.node('Shape', [x], INT1, [attr.int('start', axis), attr.int('end', axis + 1)]);
  }

  /** A shape vector (Reshape target, Expand shape, Pad amounts) from known and runtime parts. */
  vector(parts: readonly RuntimeInt[]): OnnxValue {
    if (parts.every((p): p is number => typeof p === 'number')) return this.em.int64s(parts);
    // Runs of known numbers become one initializer each.
    const pieces: OnnxValue[] = [];
    let run: number[] = [];
    for (const p of parts) {
      if (typeof p === 'number') {
        run.push(p);
        continue;
      }
      if (run.length) pieces.push(this.em.int64s(run));
      run = [];
      pieces.push(p);
    }
    if (run.length) pieces.push(this.em.int64s(run));
    return this.em.node('Concat', pieces, { dtype: 'int64', shape: [parts.length] }, [attr.int('axis', 0)]);
  }

  /** 0, 1, ..., n-1 as an int64 vector. */
  range(n: RuntimeInt): OnnxValue {
    const scalar = (v: RuntimeInt) => (typeof v === 'number' ? this.em.scalar(v, 'int64') : this.em.node('Reshape', [v, this.em.int64s([])], { dtype: 'int64', shape: [] }));
    return this.em.node('Range', [scalar(0), scalar(n), scalar(1)], { dtype: 'int64', shape: [typeof n === 'number' ? n : RUNTIME_DIM] });
  }
}
