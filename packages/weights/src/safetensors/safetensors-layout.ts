import { shapeSize, SwinError } from '@swin/core';
import { STORED_DTYPE_BYTES, type StoredDType } from '../dtypes/stored-dtype.js';
import { SAFETENSORS_CODE } from './safetensors-dtypes.js';

/** One tensor's place in a safetensors file being written. */
export interface SafetensorsSlot {
  readonly name: string;
  readonly dtype: StoredDType;
  readonly shape: readonly number[];
  /** Byte range within the data section. */
  readonly begin: number;
  readonly end: number;
}

/** A planned file: its header bytes (length prefix included), the slots, and the total size. */
export interface SafetensorsLayout {
  readonly header: Uint8Array;
  readonly slots: readonly SafetensorsSlot[];
  readonly fileSize: number;
}

/**
 * Lays out a safetensors file before any data exists, so a writer can stream tensors in order:
 * `__metadata__` first, tensors in the given order, the JSON padded with spaces so data starts at
 * a multiple of 8 (as the reference implementation does, which keeps every tensor aligned for mmap).
 */
export function planSafetensors(tensors: Iterable<{ name: string; dtype: StoredDType; shape: readonly number[] }>, metadata: Readonly<Record<string, string>>): SafetensorsLayout {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header['__metadata__'] = { ...metadata };
  const slots: SafetensorsSlot[] = [];
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name in header) throw new SwinError('INVALID_ARGUMENT', `cannot write tensor name '${t.name}' twice or as __metadata__`);
    const bytes = shapeSize(t.shape) * STORED_DTYPE_BYTES[t.dtype];
    slots.push({ name: t.name, dtype: t.dtype, shape: [...t.shape], begin: offset, end: offset + bytes });
    header[t.name] = { dtype: SAFETENSORS_CODE[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  let body = new TextEncoder().encode(json);
  const pad = (8 - (body.length % 8)) % 8;
  if (pad) {
    json += ' '.repeat(pad);
    body = new TextEncoder().encode(json);
  }
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(body.length), true);
  out.set(body, 8);
  return { header: out, slots, fileSize: out.length + offset };
}
