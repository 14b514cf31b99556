import { toFloat32, type TensorData } from '../../tensor/tensor.js';

/** The float32 view of a tensor's data (decoding float16 / ints when needed). */
export function asFloat32(t: TensorData): Float32Array {
  return toFloat32(t).data;
}
