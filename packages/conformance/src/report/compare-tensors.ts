import { ShapeError, formatShape } from '@swin/core';

/** Max abs error and the expected tensor's scale (max |expected|). */
export interface TensorComparison {
  readonly maxAbs: number;
  readonly scale: number;
  readonly maxRel: number;
}

/**
 * Compares two flat arrays of equal length. NaN anywhere (on either side but not both) counts as
 * an infinite error, so a backend cannot pass by producing NaN where the reference has numbers.
 */
export function compareArrays(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, shape: readonly number[] = []): TensorComparison {
  if (actual.length !== expected.length) {
    throw new ShapeError(`${what}: backend output has ${actual.length} elements, expected ${expected.length}${shape.length ? ` for ${formatShape(shape)}` : ''}`);
  }
  let maxAbs = 0;
  let scale = 0;
  // Both arrays have expected.length elements (checked above).
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    const d = Math.abs(a - e);
    if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Infinity : d;
    const m = Math.abs(e);
    if (m > scale && Number.isFinite(m)) scale = m;
  }
  return { maxAbs, scale, maxRel: scale > 0 ? maxAbs / scale : maxAbs === 0 ? 0 : Infinity };
}
