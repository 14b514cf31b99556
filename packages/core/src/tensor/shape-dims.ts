// Reading dims out of a shape where an op's shape rules say they exist: a typed error naming what
// was read when they do not, rather than an undefined (or an unchecked tuple cast) flowing on.

import { ShapeError, formatShape } from '../errors.js';

/** Size of axis `axis` of `shape` (negative counts from the end, as in numpy). */
export function dimAt(shape: readonly number[], axis: number, what: string): number {
  const d = shape[axis < 0 ? shape.length + axis : axis];
  if (d === undefined) throw new ShapeError(`${what}: shape ${formatShape(shape)} has no axis ${axis}`);
  return d;
}

/** A tuple of `R` numbers. */
export type Dims<R extends number, T extends number[] = []> = T['length'] extends R ? T : Dims<R, [...T, number]>;

/** The dims of a shape that must have exactly `rank` axes, as a tuple to destructure. */
export function dimsOf<R extends 1 | 2 | 3 | 4 | 5 | 6>(shape: readonly number[], rank: R, what: string): Dims<R> {
  if (shape.length !== rank) throw new ShapeError(`${what}: expected rank ${rank}, found shape ${formatShape(shape)}`);
  // The length was just checked: the tuple type says exactly that.
  return [...shape] as Dims<R>;
}
