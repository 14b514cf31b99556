import { BackendError, type TensorData } from '@swin/core';
import { ONNX_DTYPE, type OnnxDataType, type OnnxElementType } from './onnx-model.js';

/** ONNX element type of a core dtype. */
export function onnxDataType(dtype: OnnxElementType): OnnxDataType {
  switch (dtype) {
    case 'float32':
      return ONNX_DTYPE.FLOAT;
    case 'float16':
      return ONNX_DTYPE.FLOAT16;
    case 'int32':
      return ONNX_DTYPE.INT32;
    case 'int64':
      return ONNX_DTYPE.INT64;
    case 'int8':
      return ONNX_DTYPE.INT8;
    case 'uint8':
      return ONNX_DTYPE.UINT8;
    case 'bool':
      return ONNX_DTYPE.BOOL;
  }
  throw new BackendError('UNSUPPORTED_DTYPE', `onnx: no ONNX element type for dtype '${String(dtype)}': expected float32, float16, int32, int64, int8, uint8 or bool`);
}

/** The little-endian bytes of a tensor's data, as a view (no copy). ONNX raw_data is little-endian; so is every JS engine we target. */
export function tensorBytes(t: TensorData): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}
