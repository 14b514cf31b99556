import { FormatError, parseSafetensorsHeader, safetensorsHeaderLength, stridesOf } from '@swin/core';
import { checkRange, type ByteSource } from '../bytes/byte-source.js';
import { STORED_DTYPE_BYTES } from '../dtypes/stored-dtype.js';
import type { ReadLimits } from '../limits.js';
import type { LazyTensor } from '../tensors/lazy-tensor.js';
import { checkView, readView, type StorageLocation } from '../tensors/strided-view.js';
import { SAFETENSORS_DTYPES } from './safetensors-dtypes.js';

/** True when the bytes look like a safetensors file: an 8-byte length, then the JSON header's '{'. */
export function looksLikeSafetensors(head: Uint8Array): boolean {
  // A header claiming more than the file is still recognised, so the reader can say what is wrong.
  return head.length >= 9 && head[8] === 0x7b;
}

/**
 * Reads a safetensors file lazily: the header is parsed and validated by @swin/core's parser (known
 * dtype, sizes matching the shape, offsets inside the file, no overlaps or holes) before any tensor
 * is read; each tensor's bytes are read when it is loaded.
 */
export function readSafetensors(source: ByteSource, limits: ReadLimits): { tensors: Map<string, LazyTensor>; metadata: Record<string, string> } {
  checkRange(source, 0, 8, 'the safetensors header length');
  const headerLen = safetensorsHeaderLength(source.read(0, 8), source.byteLength, limits);
  const dataStart = 8 + headerLen;
  const { entries, metadata } = parseSafetensorsHeader(source.read(8, headerLen), source.byteLength - dataStart, limits);
  const tensors = new Map<string, LazyTensor>();
  for (const e of entries) {
    // The header parser admits the dtypes core reads; one this table lacks must not become undefined.
    const dtype = Object.hasOwn(SAFETENSORS_DTYPES, e.dtype) ? SAFETENSORS_DTYPES[e.dtype] : undefined;
    if (dtype === undefined) throw new FormatError(`safetensors tensor '${e.name}': dtype ${e.dtype} is not one @swin/weights reads (expected ${Object.keys(SAFETENSORS_DTYPES).join(', ')})`, 8);
    const es = STORED_DTYPE_BYTES[dtype];
    const storage: StorageLocation = { source, byteOffset: dataStart + e.begin, numel: (e.end - e.begin) / es, dtype, label: `'${e.name}'`, fileOffset: dataStart + e.begin };
    const view = { storageOffset: 0, shape: e.shape, stride: stridesOf(e.shape) };
    const numel = checkView(view, storage, limits, e.name);
    tensors.set(e.name, { dtype, shape: e.shape, load: (scratch) => readView(view, storage, numel, scratch) });
  }
  return { tensors, metadata };
}
