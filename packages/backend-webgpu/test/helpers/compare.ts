import type { TensorData } from '@swin/core';

/** Largest |a - b| over two equally long arrays (shapes are checked by the caller). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** Largest |a| (to express errors relative to a tensor's scale). */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Numeric view of a float tensor's data. */
export function values(t: TensorData): ArrayLike<number> {
  return t.data as ArrayLike<number>;
}
