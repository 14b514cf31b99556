import { FormatError, float16BitsToFloat32, bfloat16BitsToFloat32, tensor, type TensorData } from '@swin/core';

const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, I32: 4, I64: 8 };

/** The tensors and metadata of a safetensors file. */
export interface SafetensorsContents {
  readonly tensors: Map<string, TensorData>;
  readonly metadata: Record<string, string>;
}

/**
 * Minimal safetensors reader (u64 LE header length, JSON header, raw little-endian data), enough for
 * fixtures: F32 as is, F16 / BF16 widened to float32, I32, I64 narrowed to int32. Runs in browsers.
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsContents {
  if (bytes.length < 8) throw new FormatError(`safetensors file is ${bytes.length} bytes: too short for its header length`, 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(dv.getBigUint64(0, true));
  if (headerLen > bytes.length - 8 || headerLen > 100_000_000) throw new FormatError(`safetensors header length ${headerLen} exceeds the file (${bytes.length} bytes)`, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as Record<string, unknown>;
  const dataStart = 8 + headerLen;
  const tensors = new Map<string, TensorData>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = raw as Record<string, string>;
      continue;
    }
    const info = raw as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const width = DTYPE_BYTES[info.dtype];
    if (!width) throw new FormatError(`tensor '${name}': unsupported safetensors dtype ${info.dtype}: expected one of ${Object.keys(DTYPE_BYTES).join(', ')}`, 8);
    const [begin, end] = info.data_offsets;
    const count = info.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * width || dataStart + end > bytes.length) {
      throw new FormatError(`tensor '${name}': data_offsets [${begin}, ${end}] do not hold ${count} ${info.dtype} values inside the file`, dataStart + begin);
    }
    // Copy so the typed array is aligned whatever the offset.
    const buf = bytes.slice(dataStart + begin, dataStart + end).buffer;
    if (info.dtype === 'F32') tensors.set(name, tensor('float32', info.shape, new Float32Array(buf)));
    else if (info.dtype === 'I32') tensors.set(name, tensor('int32', info.shape, new Int32Array(buf)));
    else if (info.dtype === 'I64') tensors.set(name, tensor('int32', info.shape, Int32Array.from(new BigInt64Array(buf), (v) => Number(v))));
    else {
      const bits = new Uint16Array(buf);
      const decode = info.dtype === 'F16' ? float16BitsToFloat32 : bfloat16BitsToFloat32;
      tensors.set(name, tensor('float32', info.shape, Float32Array.from(bits, decode)));
    }
  }
  return { tensors, metadata };
}
