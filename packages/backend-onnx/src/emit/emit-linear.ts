import { attr } from '../onnx/onnx-attributes.js';
import type { OnnxGraphEmitter, OnnxValue } from './onnx-graph-emitter.js';
import { reshape } from './reshape.js';
import { emitInt8Matmul, quantizeActivations } from './emit-int8-linear.js';
import { quantizeWeightPerChannel } from './quantize-weights.js';
import { dimAt, type TensorData } from '@swin/core';

type Target = { name?: string; dtype: OnnxValue['dtype']; shape: readonly number[] };

/**
 * x @ w^T + b. Float: one Gemm with transB=1 (reads PyTorch's [out, in] weight as stored, and
 * onnxruntime prepacks it once) and NO bias input, then the bias as its own Add on the 2-D
 * product. onnxruntime's Gemm copies its C into every output row before the product, on one
 * thread; a separate Add runs on every intra-op thread. Measured on Swin-T with the other bias
 * moves of emitWindowAttention (bench/graph-variants.py, `lean-rows`; README, Fusions tried):
 * 0.93x the time at batch 1 and 0.90x at batch 8 with two threads, 1.00x with one. The Add sits
 * before the Reshape back, not after it, so the Reshapes between layers stay back to back (the
 * simplifier merges them) and fc1's bias does not meet the GELU, which onnxruntime would fuse into
 * its BiasGelu kernel, slower here than Add plus Gelu. int8: the bias stays inside the fused
 * integer GEMM, which adds it while scaling back. Gemm is 2-D, so other ranks are viewed as
 * [-1, in] and back (onnxruntime's Reshape aliases its input).
 */
export function emitLinear(
  em: OnnxGraphEmitter,
  x: OnnxValue,
  w: OnnxValue,
  bias: OnnxValue | undefined,
  out: Target,
  /** The weight's data when it is a constant: an int8 export quantizes it. */
  weightData?: TensorData,
): OnnxValue {
  const inF = dimAt(x.shape, -1, 'linear input');
  const outF = dimAt(w.shape, 0, 'linear weight');
  const flat = x.shape.length === 2 ? x : reshape(em, x, [-1, inF]);
  const rows = dimAt(flat.shape, 0, 'linear input rows');
  const target = x.shape.length === 2 ? undefined : x.shape.length === 1 ? [outF] : [-1, ...x.shape.slice(1, -1), outF];
  if (em.options.int8Weights && weightData) {
    const product = emitInt8Matmul(em, quantizeActivations(em, flat), quantizeWeightPerChannel(weightData), bias, target ? { dtype: x.dtype, shape: [rows, outF] } : out);
    return target ? reshape(em, product, target, out) : product;
  }
  return emitGemmThenBias(em, flat, w, bias, target, out);
}

/**
 * Gemm(x2d, w, transB=1) without C, `+ bias` by its own Add on the 2-D product (see emitLinear for
 * why), then viewed as `target` when given; the last node writes `out`.
 */
export function emitGemmThenBias(em: OnnxGraphEmitter, x2d: OnnxValue, w: OnnxValue, bias: OnnxValue | undefined, target: readonly number[] | undefined, out: Target): OnnxValue {
  const rows = dimAt(x2d.shape, 0, 'linear input rows');
  const outF = dimAt(w.shape, 0, 'linear weight');
  const rowsShape = { dtype: x2d.dtype, shape: [rows, outF] };
  // The 2-D result is the last node unless a Reshape follows it.
  const rowsTarget = target ? rowsShape : out;
  const product = em.node('Gemm', [x2d, w], bias ? rowsShape : rowsTarget, [attr.int('transB', 1)]);
  const biased = bias ? em.node('Add', [product, bias], rowsTarget) : product;
  return target ? reshape(em, biased, target, out) : biased;
}
