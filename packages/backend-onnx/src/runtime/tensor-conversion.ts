import { BackendError, type TensorData } from '@swin/core';
import type { OrtModule, OrtTensor } from './ort-module.js';

/** Wraps host data as an onnxruntime tensor without copying it. */
export function toOrtTensor(ort: OrtModule, t: TensorData): OrtTensor {
  switch (t.dtype) {
    case 'float32':
      return new ort.Tensor('float32', t.data as Float32Array, t.shape);
    case 'float16':
      return new ort.Tensor('float16', t.data as Uint16Array, t.shape);
    case 'int32':
      return new ort.Tensor('int32', t.data as Int32Array, t.shape);
    case 'int64':
      return new ort.Tensor('int64', t.data as BigInt64Array, t.shape);
  }
  throw new BackendError('UNSUPPORTED_DTYPE', `onnx: cannot pass dtype ${String(t.dtype)} to onnxruntime: expected float32, float16, int32 or int64`);
}

/** Takes an onnxruntime CPU tensor's data as core TensorData (no copy: the tensor owns fresh memory). */
export function fromOrtTensor(name: string, t: OrtTensor): TensorData {
  const shape = t.dims.map(Number);
  switch (t.type) {
    case 'float32':
      return { dtype: 'float32', shape, data: t.data as Float32Array };
    case 'float16': {
      // Newer runtimes may hand back a Float16Array; keep the raw half bits either way.
      const d = t.data as unknown as ArrayBufferView;
      return { dtype: 'float16', shape, data: new Uint16Array(d.buffer, d.byteOffset, d.byteLength / 2) };
    }
    case 'int32':
      return { dtype: 'int32', shape, data: t.data as Int32Array };
    case 'int64':
      return { dtype: 'int64', shape, data: t.data as BigInt64Array };
    default:
      throw new BackendError('UNSUPPORTED_DTYPE', `onnx: output '${name}' has type ${t.type}: expected float32, float16, int32 or int64`);
  }
}
