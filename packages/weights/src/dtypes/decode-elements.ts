import { tensor, type TensorData } from '@swin/core';
import { loadedDType, type StoredDType } from './stored-dtype.js';

// Typed arrays are views in host byte order; every format here is little-endian, so a big-endian
// host would silently read garbage. Such hosts do not run Node or browsers we target: refuse loudly.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('@swin/weights requires a little-endian host');

/**
 * Turns raw little-endian elements into a tensor of the loaded dtype. The elements start at byte 0
 * of `buffer`, which the caller owns (it becomes the tensor's storage when no conversion is needed).
 */
export function decodeElements(stored: StoredDType, shape: readonly number[], buffer: ArrayBuffer, count: number): TensorData {
  switch (stored) {
    case 'float32':
      return tensor('float32', shape, new Float32Array(buffer, 0, count));
    case 'float16':
      return tensor('float16', shape, new Uint16Array(buffer, 0, count));
    case 'int64':
      return tensor('int64', shape, new BigInt64Array(buffer, 0, count));
    case 'int32':
      return tensor('int32', shape, new Int32Array(buffer, 0, count));
    case 'bfloat16': {
      // bfloat16 is the high half of a float32: widening is a shift, exact.
      const src = new Uint16Array(buffer, 0, count);
      const out = new Uint32Array(count);
      // src views count halves: i < count is inside it.
      for (let i = 0; i < count; i++) out[i] = src[i]! << 16;
      return tensor('float32', shape, new Float32Array(out.buffer));
    }
    case 'float64':
      return tensor('float32', shape, Float32Array.from(new Float64Array(buffer, 0, count)));
    case 'int16':
      return tensor(loadedDType(stored) as 'int32', shape, Int32Array.from(new Int16Array(buffer, 0, count)));
    case 'int8':
      return tensor('int32', shape, Int32Array.from(new Int8Array(buffer, 0, count)));
    case 'uint8':
    case 'bool':
      return tensor('int32', shape, Int32Array.from(new Uint8Array(buffer, 0, count)));
  }
}
