import { FormatError } from '@swin/core';
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
 * Reads a safetensors header: u64 little-endian length N, N bytes of JSON
 * {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the data. Every
 * entry is validated as the reference implementation does (known dtype, sizes matching the shape,
 * offsets inside the file, no overlaps or holes) before any tensor is read.
 */
export function readSafetensors(source: ByteSource, limits: ReadLimits): { tensors: Map<string, LazyTensor>; metadata: Record<string, string> } {
  checkRange(source, 0, 8, 'the safetensors header length');
  const h = source.read(0, 8);
  const lo = (h[0]! | (h[1]! << 8) | (h[2]! << 16)) + h[3]! * 0x1000000;
  const hi = (h[4]! | (h[5]! << 8) | (h[6]! << 16)) + h[7]! * 0x1000000;
  const headerLen = hi * 0x100000000 + lo;
  if (headerLen > limits.maxSafetensorsHeaderBytes) {
    throw new FormatError(`safetensors header claims ${headerLen} bytes, over the limit of ${limits.maxSafetensorsHeaderBytes}`, 0, 'LIMIT_EXCEEDED');
  }
  if (8 + headerLen > source.byteLength) throw new FormatError(`safetensors header claims ${headerLen} bytes but the file has ${source.byteLength - 8} after the length`, 0);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(source.read(8, headerLen)));
  } catch (e) {
    throw new FormatError(`safetensors header is not valid UTF-8 JSON: ${(e as Error).message}`, 8);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new FormatError('safetensors header: expected a JSON object', 8);
  const dataStart = 8 + headerLen;
  const dataLen = source.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const spans: { name: string; begin: number; end: number }[] = [];
  const specs = new Map<string, { dtype: string; shape: number[]; begin: number; end: number }>();
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FormatError('safetensors __metadata__: expected an object of strings', 8);
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') throw new FormatError(`safetensors __metadata__.${k}: expected a string, found ${typeof v}`, 8);
        metadata[k] = v;
      }
      continue;
    }
    const fail = (msg: string): never => {
      throw new FormatError(`safetensors tensor '${name}': ${msg}`, 8);
    };
    if (typeof raw !== 'object' || raw === null) fail('expected {dtype, shape, data_offsets}');
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in SAFETENSORS_DTYPES)) fail(`dtype ${JSON.stringify(dtype)}: expected one of ${Object.keys(SAFETENSORS_DTYPES).join(', ')}`);
    if (!Array.isArray(shape) || shape.length > limits.maxDims || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`shape ${JSON.stringify(shape)}: expected at most ${limits.maxDims} non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && d >= 0) || offsets[0] > offsets[1]) {
      fail(`data_offsets ${JSON.stringify(offsets)}: expected [begin, end] with 0 <= begin <= end`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataLen) fail(`data_offsets [${begin}, ${end}] run past the ${dataLen} data bytes of the file`);
    let numel = 1;
    for (const d of shape as number[]) numel *= d;
    const es = STORED_DTYPE_BYTES[SAFETENSORS_DTYPES[dtype as string]!];
    if (!Number.isSafeInteger(numel * es) || numel * es !== end - begin) fail(`shape ${JSON.stringify(shape)} of ${dtype} needs ${numel * es} bytes but data_offsets span ${end - begin}`);
    if (specs.size >= limits.maxTensors) throw new FormatError(`more than ${limits.maxTensors} tensors`, 8, 'LIMIT_EXCEEDED');
    specs.set(name, { dtype: dtype as string, shape: shape as number[], begin, end });
    spans.push({ name, begin, end });
  }
  // The data must be covered exactly once: overlapping tensors would alias, holes could hide a payload.
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const s of spans) {
    if (s.begin < expected) throw new FormatError(`safetensors tensor '${s.name}' at data bytes [${s.begin}, ${s.end}) overlaps the previous tensor (ending at ${expected})`, dataStart + s.begin);
    if (s.begin > expected) throw new FormatError(`safetensors data has a hole: bytes [${expected}, ${s.begin}) belong to no tensor (before '${s.name}')`, dataStart + expected);
    expected = s.end;
  }
  if (expected !== dataLen) throw new FormatError(`safetensors data is ${dataLen} bytes but the tensors cover ${expected}`, dataStart + expected);

  const tensors = new Map<string, LazyTensor>();
  for (const s of spans) {
    const spec = specs.get(s.name)!;
    const dtype = SAFETENSORS_DTYPES[spec.dtype]!;
    const es = STORED_DTYPE_BYTES[dtype];
    const storage: StorageLocation = { source, byteOffset: dataStart + spec.begin, numel: (spec.end - spec.begin) / es, dtype, label: `'${s.name}'`, fileOffset: dataStart + spec.begin };
    const view = { storageOffset: 0, shape: spec.shape, stride: rowMajor(spec.shape) };
    const numel = checkView(view, storage, limits, s.name);
    tensors.set(s.name, { dtype, shape: spec.shape, load: (scratch) => readView(view, storage, numel, scratch) });
  }
  return { tensors, metadata };
}

function rowMajor(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i]!;
  }
  return out;
}
