import { dimAt } from '@swin/core';
import { attr } from '../onnx/onnx-attributes.js';
import { ONNX_DTYPE } from '../onnx/onnx-model.js';
import type { OnnxGraphEmitter, OnnxValue } from './onnx-graph-emitter.js';
import type { Int8Weight } from './quantize-weights.js';

// Linear layers with int8 weights, for onnxruntime's integer GEMM (AVX-512 VNNI / AVX2 on x64,
// SIMD in wasm). Activations are quantized at run time by DynamicQuantizeLinear (uint8, one
// scale and zero point per tensor, computed from the tensor's own min and max); the product
// accumulates exactly in int32 and is scaled back to float by (activation scale x per-channel
// weight scale). The node pattern is the one onnxruntime fuses into a single DynamicQuantizeMatMul
// (or MatMulIntegerToFloat when one quantized tensor feeds several products), bias included;
// other runtimes run the same standard ops (opset 10+) unfused.

/** A float tensor quantized at run time: values ≈ (q - zeroPoint) * scale. */
export interface QuantizedActivations {
  readonly values: OnnxValue;
  readonly scale: OnnxValue;
  readonly zeroPoint: OnnxValue;
}

/** DynamicQuantizeLinear of a 2-D [rows, in] float value. */
export function quantizeActivations(em: OnnxGraphEmitter, x: OnnxValue): QuantizedActivations {
  const [values, scale, zeroPoint] = em.nodeWithOutputs('DynamicQuantizeLinear', [x], [
    { dtype: 'uint8', shape: x.shape },
    { dtype: 'float32', shape: [] },
    { dtype: 'uint8', shape: [] },
  ]);
  return { values: values!, scale: scale!, zeroPoint: zeroPoint! };
}

/** x @ w^T + b with w in int8: MatMulInteger, Cast, Mul by the combined scale, Add the float bias. */
export function emitInt8Matmul(
  em: OnnxGraphEmitter,
  x: QuantizedActivations,
  weight: Int8Weight,
  bias: OnnxValue | undefined,
  out: { name?: string; dtype: OnnxValue['dtype']; shape: readonly number[] },
): OnnxValue {
  const n = weight.outFeatures;
  const rows = dimAt(x.values.shape, 0, 'int8 linear input');
  const w = em.rawInitializer('weight_int8', 'int8', [weight.inFeatures, n], weight.values);
  const wScale = em.rawInitializer('weight_scale', 'float32', [n], weight.scales);
  const acc = em.node('MatMulInteger', [x.values, w, x.zeroPoint], { dtype: 'int32', shape: [rows, n] });
  const asFloat = em.node('Cast', [acc], { dtype: 'float32', shape: [rows, n] }, [attr.int('to', ONNX_DTYPE.FLOAT)]);
  const scale = em.node('Mul', [x.scale, wScale], { dtype: 'float32', shape: [n] });
  if (!bias) return em.node('Mul', [asFloat, scale], out);
  const scaled = em.node('Mul', [asFloat, scale], { dtype: 'float32', shape: [rows, n] });
  return em.node('Add', [scaled, bias], out);
}
