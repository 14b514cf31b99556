import { attr } from '../onnx/onnx-attributes.js';
import type { OnnxGraphEmitter, OnnxValue } from './onnx-graph-emitter.js';
import { reshape } from './reshape.js';

/**
 * x @ w^T + b as one Gemm (transB=1 reads PyTorch's [out, in] weight as stored, and onnxruntime
 * prepacks it once). Gemm is 2-D, so other ranks are viewed as [-1, in] and back; onnxruntime's
 * Reshape aliases its input, and the simplifier merges the back-to-back reshapes between layers.
 */
export function emitLinear(
  em: OnnxGraphEmitter,
  x: OnnxValue,
  w: OnnxValue,
  bias: OnnxValue | undefined,
  out: { name?: string; dtype: OnnxValue['dtype']; shape: readonly number[] },
): OnnxValue {
  const inF = x.shape[x.shape.length - 1]!;
  const outF = w.shape[0]!;
  const flat = x.shape.length === 2 ? x : reshape(em, x, [-1, inF]);
  const rows = flat.shape[0]!;
  if (x.shape.length === 2) return em.node('Gemm', [flat, w, bias], out, [attr.int('transB', 1)]);
  const y = em.node('Gemm', [flat, w, bias], { dtype: x.dtype, shape: [rows, outF] }, [attr.int('transB', 1)]);
  const target = x.shape.length === 1 ? [outF] : [-1, ...x.shape.slice(1, -1), outF];
  return reshape(em, y, target, out);
}
