import { BackendError, dimsOf, toFloat32, type TensorData } from '@swin/core';

/** A linear layer's weight in int8, laid out for MatMulInteger (B is [in, out]), one scale per output channel. */
export interface Int8Weight {
  /** [in, out] row-major, values in [-127, 127] (symmetric: the zero point is 0, -128 is unused). */
  readonly values: Int8Array;
  /** [out]: weight ≈ values * scale, per output channel. */
  readonly scales: Float32Array;
  readonly inFeatures: number;
  readonly outFeatures: number;
}

/**
 * Per-output-channel symmetric quantization of a PyTorch-layout [out, in] weight: each row's
 * scale is its largest magnitude / 127, so every channel uses the full int8 range whatever the
 * spread between channels (a per-tensor scale would leave small channels with a few levels).
 */
export function quantizeWeightPerChannel(weight: TensorData): Int8Weight {
  if (weight.shape.length !== 2) throw new BackendError('BACKEND_FAILURE', `onnx int8 export: expected a 2-D [out, in] weight, found [${weight.shape.join(', ')}]`);
  const [outFeatures, inFeatures] = dimsOf(weight.shape, 2, 'onnx int8 export weight');
  const w = toFloat32(weight).data;
  // w holds outFeatures * inFeatures values: o < outFeatures and i < inFeatures index inside it.
  const values = new Int8Array(outFeatures * inFeatures);
  const scales = new Float32Array(outFeatures);
  for (let o = 0; o < outFeatures; o++) {
    let max = 0;
    for (let i = 0; i < inFeatures; i++) max = Math.max(max, Math.abs(w[o * inFeatures + i]!));
    // An all-zero channel keeps scale 1: its values are 0 either way, and no division by zero.
    const scale = max > 0 ? max / 127 : 1;
    scales[o] = scale;
    for (let i = 0; i < inFeatures; i++) values[i * outFeatures + o] = Math.round((w[o * inFeatures + i]!) / scale);
  }
  return { values, scales, inFeatures, outFeatures };
}
