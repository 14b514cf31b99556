import { attr } from '../onnx/onnx-attributes.js';
import type { OnnxGraphEmitter, OnnxValue } from './onnx-graph-emitter.js';

/**
 * Reshape to a target with at most one -1 (Swin graphs put it on the batch axis, which keeps the
 * model batch-polymorphic). Our reshape has no 0-means-copy: a literal 0 needs allowzero, which
 * forbids -1 alongside it, so such targets are resolved against the static shape.
 */
export function reshape(
  em: OnnxGraphEmitter,
  x: OnnxValue,
  target: readonly number[],
  out?: { name?: string; dtype: OnnxValue['dtype']; shape: readonly number[] },
): OnnxValue {
  const resolved = resolvedShape(x, target);
  const hasZero = target.includes(0);
  return em.node('Reshape', [x, em.int64s(hasZero ? resolved : target)], out ?? { dtype: x.dtype, shape: resolved }, hasZero ? [attr.int('allowzero', 1)] : []);
}

/** The target with its -1 resolved against x's static (nominal) shape. */
export function resolvedShape(x: OnnxValue, target: readonly number[]): number[] {
  const total = x.shape.reduce((a, b) => a * b, 1);
  const known = target.reduce((a, d) => (d === -1 ? a : a * d), 1);
  return target.map((d) => (d === -1 ? (known === 0 ? 0 : total / known) : d));
}
