import { tensor, type TensorData } from '@swin/core';

/** Parses the simple safetensors layout (u64 LE header length, JSON header, raw data); browser-safe. */
export function readSafetensors(bytes: Uint8Array): Map<string, TensorData> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const base = 8 + headerLength;
  const out = new Map<string, TensorData>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [from, to] = entry.data_offsets;
    const raw = bytes.slice(base + from, base + to).buffer;
    if (entry.dtype === 'F32') out.set(name, tensor('float32', entry.shape, new Float32Array(raw)));
    else if (entry.dtype === 'F16') out.set(name, tensor('float16', entry.shape, new Uint16Array(raw)));
    else if (entry.dtype === 'I32') out.set(name, tensor('int32', entry.shape, new Int32Array(raw)));
    else if (entry.dtype === 'I64') out.set(name, tensor('int64', entry.shape, new BigInt64Array(raw)));
    else throw new Error(`fixture tensor '${name}' has dtype ${entry.dtype}`);
  }
  return out;
}
