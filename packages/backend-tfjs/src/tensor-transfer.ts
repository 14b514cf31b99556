import * as tf from '@tensorflow/tfjs-core';
import { DTypeError, toFloat32, type TensorData } from '@swin/core';

/** Moves host data into a tfjs tensor (float16 widened to float32: tfjs computes in float32). */
export function uploadTensor(t: TensorData): tf.Tensor {
  if (t.dtype === 'float32') return tf.tensor(t.data as Float32Array, [...t.shape], 'float32');
  if (t.dtype === 'int32') return tf.tensor(t.data as Int32Array, [...t.shape], 'int32');
  if (t.dtype === 'float16') return tf.tensor(toFloat32(t).data, [...t.shape], 'float32');
  throw new DTypeError(`tfjs: cannot upload ${t.dtype} tensors: expected float32, float16 or int32`);
}

/**
 * Reads a tfjs tensor back into a fresh array. Always a copy: tfjs-cpu hands out its own storage,
 * which a caller must be free to mutate.
 */
export async function downloadTensor(v: tf.Tensor): Promise<TensorData> {
  const data = await v.data();
  if (v.dtype === 'float32') return { dtype: 'float32', shape: [...v.shape], data: new Float32Array(data as Float32Array) };
  if (v.dtype === 'int32') return { dtype: 'int32', shape: [...v.shape], data: new Int32Array(data as Int32Array) };
  throw new DTypeError(`tfjs: cannot download ${v.dtype} tensors: expected float32 or int32`);
}
