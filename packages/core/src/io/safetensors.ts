import { FormatError } from '../errors.js';
import { bfloat16BitsToFloat32, float16BitsToFloat32 } from '../tensor/float16.js';
import { tensor, type TensorData } from '../tensor/tensor.js';

// The one safetensors parser of the repository (browser-safe, no I/O): @swin/weights reads big files
// lazily through it, tests and conformance read small ones whole with `readSafetensorsBytes`.

/** Bytes per element of every safetensors dtype code we read. */
export const SAFETENSORS_ELEMENT_BYTES: Readonly<Record<string, number>> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** One tensor of a safetensors header: its dtype code, shape and byte range in the data section. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

/** What a header may claim before it is refused. */
export interface SafetensorsHeaderLimits {
  readonly maxSafetensorsHeaderBytes: number;
  readonly maxTensors: number;
  readonly maxDims: number;
}

/** Limits for `readSafetensorsBytes` when none are given (the file is in memory already). */
export const SAFETENSORS_HEADER_LIMITS: SafetensorsHeaderLimits = { maxSafetensorsHeaderBytes: 100 * 1000 * 1000, maxTensors: 1_000_000, maxDims: 16 };

/** The u64 little-endian header length of the first 8 bytes, refused when over the limit or the file. */
export function safetensorsHeaderLength(first8: Uint8Array, fileBytes: number, limits: SafetensorsHeaderLimits): number {
  if (first8.length < 8 || fileBytes < 8) throw new FormatError(`safetensors file is ${fileBytes} bytes: too short for its 8-byte header length`, 0);
  const le = new DataView(first8.buffer, first8.byteOffset, 8);
  const headerLen = le.getUint32(4, true) * 0x100000000 + le.getUint32(0, true);
  if (headerLen > limits.maxSafetensorsHeaderBytes) {
    throw new FormatError(`safetensors header claims ${headerLen} bytes, over the limit of ${limits.maxSafetensorsHeaderBytes}`, 0, 'LIMIT_EXCEEDED');
  }
  if (8 + headerLen > fileBytes) throw new FormatError(`safetensors header claims ${headerLen} bytes but the file has ${fileBytes - 8} after the length`, 0);
  return headerLen;
}

/**
 * Parses and validates a safetensors JSON header {name: {dtype, shape, data_offsets: [begin, end]},
 * "__metadata__": {...}} as the reference implementation does: known dtype, sizes matching the shape,
 * offsets inside the `dataLen` data bytes, the data covered exactly once (no overlaps, no holes).
 * Entries come back sorted by offset. `dataStart` (8 + header length) only places errors in the file.
 */
export function parseSafetensorsHeader(json: Uint8Array, dataLen: number, limits: SafetensorsHeaderLimits): { entries: SafetensorsEntry[]; metadata: Record<string, string> } {
  const dataStart = 8 + json.length;
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (e) {
    throw new FormatError(`safetensors header is not valid UTF-8 JSON: ${(e as Error).message}`, 8);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new FormatError('safetensors header: expected a JSON object', 8);
  const metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FormatError('safetensors __metadata__: expected an object of strings', 8);
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') throw new FormatError(`safetensors __metadata__.${k}: expected a string, found ${typeof v}`, 8);
        metadata[k] = v;
      }
      continue;
    }
    // Typed on the const so that tsc narrows after a call (a never-returning call ends the path).
    const fail: (msg: string) => never = (msg) => {
      throw new FormatError(`safetensors tensor '${name}': ${msg}`, 8);
    };
    if (typeof raw !== 'object' || raw === null) fail('expected {dtype, shape, data_offsets}');
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    // Own keys only: a header dtype such as "constructor" must not resolve through Object.prototype.
    const es = typeof dtype === 'string' && Object.hasOwn(SAFETENSORS_ELEMENT_BYTES, dtype) ? SAFETENSORS_ELEMENT_BYTES[dtype] : undefined;
    if (typeof dtype !== 'string' || es === undefined) fail(`dtype ${JSON.stringify(dtype)}: expected one of ${Object.keys(SAFETENSORS_ELEMENT_BYTES).join(', ')}`);
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
    if (!Number.isSafeInteger(numel * es) || numel * es !== end - begin) fail(`shape ${JSON.stringify(shape)} of ${dtype} needs ${numel * es} bytes but data_offsets span ${end - begin}`);
    if (entries.length >= limits.maxTensors) throw new FormatError(`more than ${limits.maxTensors} tensors`, 8, 'LIMIT_EXCEEDED');
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  // The data must be covered exactly once: overlapping tensors would alias, holes could hide a payload.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const s of entries) {
    if (s.begin < expected) throw new FormatError(`safetensors tensor '${s.name}' at data bytes [${s.begin}, ${s.end}) overlaps the previous tensor (ending at ${expected})`, dataStart + s.begin);
    if (s.begin > expected) throw new FormatError(`safetensors data has a hole: bytes [${expected}, ${s.begin}) belong to no tensor (before '${s.name}')`, dataStart + expected);
    expected = s.end;
  }
  if (expected !== dataLen) throw new FormatError(`safetensors data is ${dataLen} bytes but the tensors cover ${expected}`, dataStart + expected);
  return { entries, metadata };
}

/**
 * A whole safetensors file already in memory (fixtures, test models): float32 as is; float16, bfloat16
 * and float64 as float32 (widened, or rounded for float64); integers as int32 (int64 refused outside
 * int32's range). Big checkpoints go through @swin/weights, which reads tensors lazily.
 */
export function readSafetensorsBytes(bytes: Uint8Array, limits: SafetensorsHeaderLimits = SAFETENSORS_HEADER_LIMITS): { tensors: Map<string, TensorData>; metadata: Record<string, string> } {
  const headerLen = safetensorsHeaderLength(bytes.subarray(0, 8), bytes.length, limits);
  const dataStart = 8 + headerLen;
  const { entries, metadata } = parseSafetensorsHeader(bytes.subarray(8, dataStart), bytes.length - dataStart, limits);
  const tensors = new Map<string, TensorData>();
  for (const e of entries) {
    // A copy, so every typed array is aligned whatever the offset. Not bytes.slice(): on a Node
    // Buffer that is a view into a shared pool, whose .buffer holds other bytes.
    const buf = new Uint8Array(bytes.subarray(dataStart + e.begin, dataStart + e.end)).buffer;
    tensors.set(e.name, decode(e, buf, dataStart));
  }
  return { tensors, metadata };
}

function decode(e: SafetensorsEntry, buf: ArrayBuffer, dataStart: number): TensorData {
  switch (e.dtype) {
    case 'F32':
      return tensor('float32', e.shape, new Float32Array(buf));
    case 'F16':
      return tensor('float32', e.shape, Float32Array.from(new Uint16Array(buf), float16BitsToFloat32));
    case 'BF16':
      return tensor('float32', e.shape, Float32Array.from(new Uint16Array(buf), bfloat16BitsToFloat32));
    case 'F64':
      return tensor('float32', e.shape, Float32Array.from(new Float64Array(buf)));
    case 'I64': {
      const wide = new BigInt64Array(buf);
      const out = new Int32Array(wide.length);
      for (let i = 0; i < wide.length; i++) {
        const v = wide[i]!; // i < wide.length
        if (v > 2147483647n || v < -2147483648n) throw new FormatError(`safetensors tensor '${e.name}': int64 value ${v} does not fit int32`, dataStart + e.begin + 8 * i);
        out[i] = Number(v);
      }
      return tensor('int32', e.shape, out);
    }
    case 'I32':
      return tensor('int32', e.shape, new Int32Array(buf));
    case 'I16':
      return tensor('int32', e.shape, Int32Array.from(new Int16Array(buf)));
    case 'I8':
      return tensor('int32', e.shape, Int32Array.from(new Int8Array(buf)));
    default: // U8, BOOL
      return tensor('int32', e.shape, Int32Array.from(new Uint8Array(buf)));
  }
}
