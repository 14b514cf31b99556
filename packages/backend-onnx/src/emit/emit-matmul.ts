import { dimAt } from '@swin/core';
import { attr } from '../onnx/onnx-attributes.js';
import { transposeLastTwo } from './weight-transforms.js';
import type { OnnxGraphEmitter, OnnxValue } from './onnx-graph-emitter.js';

/**
 * a @ b or a @ b^T. A constant b is transposed once at export; a computed one gets a Transpose
 * that onnxruntime folds into its MatMul (or com.microsoft.FusedMatMul when contrib ops are allowed).
 */
export function emitMatmul(
  em: OnnxGraphEmitter,
  aName: string,
  bName: string,
  transB: boolean,
  out: { name?: string; dtype: OnnxValue['dtype']; shape: readonly number[] },
): OnnxValue {
  const a = em.value(aName);
  if (!transB) return em.node('MatMul', [a, em.value(bName)], out);
  const constant = em.constantOf(bName);
  if (constant) return em.node('MatMul', [a, em.initializer(`${bName}/T`, transposeLastTwo(constant))], out);
  return matmulTransB(em, a, em.value(bName), out);
}

/**
 * a @ b^T for a computed b: com.microsoft.FusedMatMul when contrib ops are allowed, else a Transpose
 * of b's last two axes that onnxruntime's optimizer fuses into its MatMul (FusedMatMul, transB).
 */
export function matmulTransB(em: OnnxGraphEmitter, a: OnnxValue, b: OnnxValue, out: { name?: string; dtype: OnnxValue['dtype']; shape: readonly number[] }): OnnxValue {
  if (em.options.allowContribOps) return em.node('FusedMatMul', [a, b], out, [attr.int('transB', 1)], 'com.microsoft');
  const rows = dimAt(b.shape, -2, 'matmul b');
  const cols = dimAt(b.shape, -1, 'matmul b');
  const rank = b.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  const bt = em.node('Transpose', [b], { dtype: b.dtype, shape: [...b.shape.slice(0, -2), cols, rows] }, [attr.ints('perm', perm)]);
  return em.node('MatMul', [a, bt], out);
}
