import type { OnnxGraphEmitter, OnnxValue } from './onnx-graph-emitter.js';

/**
 * Exact (erf) GELU. Standard ONNX gets Gelu only at opset 20, so at opset 17 it is the erf formula
 * x * 0.5 * (1 + erf(x / sqrt 2)) in the node order onnxruntime's GeluFusion recognises (it runs
 * as one fused kernel there); with contrib ops allowed it is com.microsoft.Gelu directly.
 */
export function emitGelu(em: OnnxGraphEmitter, x: OnnxValue, out: { name?: string; dtype: OnnxValue['dtype']; shape: readonly number[] }): OnnxValue {
  if (em.options.allowContribOps) return em.node('Gelu', [x], out, [], 'com.microsoft');
  const t = { dtype: x.dtype, shape: x.shape };
  const scaled = em.node('Div', [x, em.scalar(Math.SQRT2, x.dtype)], t);
  const erf = em.node('Erf', [scaled], t);
  const onePlus = em.node('Add', [erf, em.scalar(1, x.dtype)], t);
  const times = em.node('Mul', [x, onePlus], t);
  return em.node('Mul', [times, em.scalar(0.5, x.dtype)], out);
}
