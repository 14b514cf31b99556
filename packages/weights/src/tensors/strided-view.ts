import { formatShape, FormatError, SwinError, type TensorData } from '@swin/core';
import type { ByteSource } from '../bytes/byte-source.js';
import { decodeElements } from '../dtypes/decode-elements.js';
import { STORED_DTYPE_BYTES, type StoredDType } from '../dtypes/stored-dtype.js';
import type { ReadLimits } from '../limits.js';
import type { ScratchBuffer } from './scratch-buffer.js';

/** Where a tensor's elements live: a storage of `numel` elements at `byteOffset` of a source. */
export interface StorageLocation {
  readonly source: ByteSource;
  /** Byte offset of element 0 of the storage in `source`. */
  readonly byteOffset: number;
  /** Elements the storage holds (of `dtype`). */
  readonly numel: number;
  readonly dtype: StoredDType;
  /** Name used in error messages (a zip entry, a storage key). */
  readonly label: string;
  /** File offset of the storage, for error messages. */
  readonly fileOffset: number;
  /** True when every read inflates the storage (a deflated zip entry): reading costs its whole size in memory. */
  readonly compressed?: boolean;
}

/** A view into a storage, as PyTorch describes one: element offset, sizes, strides (in elements). */
export interface ViewSpec {
  readonly storageOffset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
}

/** Checks a view against its storage and the limits; returns its element count. Nothing is allocated. */
export function checkView(view: ViewSpec, storage: StorageLocation, limits: ReadLimits, name: string): number {
  const fail = (msg: string, code?: 'LIMIT_EXCEEDED') => {
    throw new FormatError(`tensor '${name}': ${msg}`, storage.fileOffset, code);
  };
  const { shape, stride, storageOffset } = view;
  if (shape.length !== stride.length) fail(`shape ${formatShape(shape)} and stride ${formatShape(stride)} differ in rank`);
  if (shape.length > limits.maxDims) fail(`${shape.length} dimensions exceed the limit of ${limits.maxDims}`, 'LIMIT_EXCEEDED');
  if (!Number.isSafeInteger(storageOffset) || storageOffset < 0) fail(`storage offset ${storageOffset} is not a non-negative integer`);
  let numel = 1;
  let last = storageOffset;
  // shape and stride have the same length (checked above: fail throws): i indexes both.
  for (let i = 0; i < shape.length; i++) {
    const n = shape[i]!;
    const s = stride[i]!;
    if (!Number.isSafeInteger(n) || n < 0) fail(`size ${n} in shape ${formatShape(shape)} is not a non-negative integer`);
    if (!Number.isSafeInteger(s) || s < 0) fail(`stride ${s} in ${formatShape(stride)} is not a non-negative integer`);
    numel *= n;
    if (!Number.isSafeInteger(numel)) fail(`shape ${formatShape(shape)} has too many elements`, 'LIMIT_EXCEEDED');
    if (n > 0) last += (n - 1) * s;
    if (!Number.isSafeInteger(last)) fail(`strides ${formatShape(stride)} reach past any storage`);
  }
  if (numel > 0 && last >= storage.numel) {
    fail(`the view (offset ${storageOffset}, shape ${formatShape(shape)}, stride ${formatShape(stride)}) reaches element ${last} of storage ${storage.label}, which holds ${storage.numel}`);
  }
  const bytes = numel * STORED_DTYPE_BYTES[storage.dtype];
  if (bytes > limits.maxTensorBytes) fail(`${bytes} bytes exceed the per-tensor limit of ${limits.maxTensorBytes}`, 'LIMIT_EXCEEDED');
  if (numel > storage.numel && bytes - storage.numel * STORED_DTYPE_BYTES[storage.dtype] > limits.maxAliasedBytes) {
    fail(`a view of ${numel} elements over a storage of ${storage.numel} (stride 0) exceeds the aliasing limit of ${limits.maxAliasedBytes} bytes`, 'LIMIT_EXCEEDED');
  }
  return numel;
}

/** For views checkView accepted: shape and stride have the same length, which i stays below. */
function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i]! !== 1 && stride[i]! !== expected) return false;
    expected *= shape[i]!;
  }
  return true;
}

/** Reads a checked view: one read of the bytes it spans, then a gather when it is not contiguous. */
export function readView(view: ViewSpec, storage: StorageLocation, numel: number, scratch?: ScratchBuffer): TensorData {
  const es = STORED_DTYPE_BYTES[storage.dtype];
  const { shape, stride, storageOffset } = view;
  try {
    if (numel === 0) return decodeElements(storage.dtype, shape, new ArrayBuffer(0), 0);
    if (isContiguous(shape, stride)) {
      const buf = scratch ? scratch.take(numel * es) : new ArrayBuffer(numel * es);
      const bytes = new Uint8Array(buf, 0, numel * es);
      storage.source.readInto(storage.byteOffset + storageOffset * es, bytes);
      return decodeElements(storage.dtype, shape, buf, numel);
    }
    // Non-contiguous: read the span the view touches, then walk it with an odometer.
    let span = 1;
    // A checked view: shape and stride have the same length.
    for (let i = 0; i < shape.length; i++) span += (shape[i]! - 1) * stride[i]!;
    const src = new ArrayBuffer(span * es);
    storage.source.readInto(storage.byteOffset + storageOffset * es, new Uint8Array(src));
    const out = new ArrayBuffer(numel * es);
    gather(src, out, es, shape, stride, numel);
    return decodeElements(storage.dtype, shape, out, numel);
  } catch (e) {
    if (e instanceof SwinError) throw e;
    throw new FormatError(`storage ${storage.label}: cannot read the view: ${(e as Error).message}`, storage.fileOffset);
  }
}

function gather(src: ArrayBuffer, out: ArrayBuffer, es: number, shape: readonly number[], stride: readonly number[], numel: number): void {
  // Copy in units of 1, 2 or 4 bytes; 8-byte elements move as two 32-bit words so NaN payloads survive.
  const unit = es === 8 ? 4 : es;
  const per = es / unit;
  const A = unit === 4 ? Uint32Array : unit === 2 ? Uint16Array : Uint8Array;
  const s = new A(src);
  const o = new A(out);
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  let at = 0;
  // An odometer over a checked view: d < rank = shape.length = stride.length = idx.length, and
  // `at` walks inside the span readView read (checkView bounded the view's last element).
  for (let k = 0; k < numel; k++) {
    const base = at * per;
    for (let j = 0; j < per; j++) o[k * per + j] = s[base + j]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) {
        at += stride[d]!;
        break;
      }
      at -= (shape[d]! - 1) * stride[d]!;
      idx[d] = 0;
    }
  }
}
