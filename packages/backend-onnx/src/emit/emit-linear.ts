import { attr } from '../onnx/onnx-attributes.js';
import type { OnnxGraphEmitter, OnnxValue } from './onnx-graph-emitter.js';
import { reshape } from './reshape.js';
import { emitInt8Matmul, quantizeActivations } from './emit-int8-linear.js';
import { quantizeWeightPerChannel } from './quantize-weights.js';
import { dimAt, type TensorData } from '@swin/core';

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
  /** The weight's data when it is a constant: an int8 export quantizes it. */
  weightData?: TensorData,
): OnnxValue {
  const inF = dimAt(x.shape, -1, 'linear input');
  const outF = dimAt(w.shape, 0, 'linear weight');
  const flat = x.shape.length === 2 ? x : reshape(em, x, [-1, inF]);
  const rows = dimAt(flat.shape, 0, 'linear input rows');
  const product = (target: { name?: string; dtype: OnnxValue['dtype']; shape: readonly number[] }): OnnxValue =>
    em.options.int8Weights && weightData
      ? emitInt8Matmul(em, quantizeActivations(em, flat), quantizeWeightPerChannel(weightData), bias, target)
      : em.node('Gemm', [flat, w, bias], target, [attr.int('transB', 1)]);
  if (x.shape.length === 2) return product(out);
  const y = product({ dtype: x.dtype, shape: [rows, outF] });
  const target = x.shape.length === 1 ? [outF] : [-1, ...x.shape.slice(1, -1), outF];
  return reshape(em, y, target, out);
}
