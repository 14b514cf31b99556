import { DTypeError, float16BitsToFloat32, SwinError, type TensorData } from '@swin/core';
import { isFloatDType, type StoredDType } from './stored-dtype.js';

/** Element types a converted checkpoint can be written in. */
export type OutputDType = 'float32' | 'float16' | 'bfloat16';

let halfTable: Float32Array | undefined;

/** float16 bits to float32 through a 64K-entry table: exact, and fast enough to stream. */
export function float16ToFloat32Array(bits: Uint16Array): Float32Array {
  const table = (halfTable ??= Float32Array.from({ length: 65536 }, (_, i) => float16BitsToFloat32(i)));
  const out = new Float32Array(bits.length);
  // i < bits.length, and the table has an entry for every 16-bit pattern.
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]!]!;
  return out;
}

/** float32 to IEEE half bits, round half to even (as torch's .half()), over a whole array. */
export function float32ToFloat16Array(src: Float32Array): Uint16Array {
  const u = new Uint32Array(src.buffer, src.byteOffset, src.length);
  const out = new Uint16Array(src.length);
  // i < u.length.
  for (let i = 0; i < u.length; i++) {
    const x = u[i]!;
    const sign = (x >>> 16) & 0x8000;
    const abs = x & 0x7fffffff;
    if (abs >= 0x38800000 && abs < 0x47800000) {
      // Normal half (the common case, kept branch-free): rebias the exponent by 112 and round the
      // 13 dropped mantissa bits to nearest even by adding 0xfff plus the lowest kept bit; a carry
      // runs into the exponent, and past 65504 up to infinity, as it should.
      out[i] = sign | ((abs - 0x38000000 + 0xfff + ((abs >>> 13) & 1)) >>> 13);
    } else if (abs >= 0x47800000) {
      out[i] = sign | (abs > 0x7f800000 ? 0x7e00 : 0x7c00); // NaN stays NaN; >= 65536 is infinity
    } else {
      // Subnormal half or zero: shift the mantissa (with its implicit bit) into place, rounding half to even.
      const e = (abs >>> 23) - 112;
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      const m = (abs & 0x7fffff) | 0x800000;
      const shift = 14 - e;
      let h = m >>> shift;
      const rest = m & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rest > half || (rest === half && h & 1)) h++;
      out[i] = sign | h;
    }
  }
  return out;
}

/** float32 to bfloat16 bits, round half to even (as torch), NaN kept NaN. */
export function float32ToBfloat16Array(src: Float32Array): Uint16Array {
  const u = new Uint32Array(src.buffer, src.byteOffset, src.length);
  const out = new Uint16Array(src.length);
  // i < u.length.
  for (let i = 0; i < u.length; i++) {
    const x = u[i]!;
    if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) out[i] = (x >>> 16) | 0x40;
    else out[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
  }
  return out;
}

/** The stored dtype a tensor is written as: floats take the requested output type, integers keep theirs. */
export function outputStoredDType(source: StoredDType, output: OutputDType): StoredDType {
  if (isFloatDType(source)) return output;
  return source === 'int64' ? 'int64' : 'int32';
}

function asFloat32(t: TensorData): Float32Array {
  if (t.dtype === 'float32') return t.data as Float32Array;
  if (t.dtype === 'float16') return float16ToFloat32Array(t.data as Uint16Array);
  throw new DTypeError(`expected a float tensor, found ${t.dtype}`);
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** A loaded tensor's little-endian bytes in `target` (a result of outputStoredDType). */
export function encodeTensor(t: TensorData, target: StoredDType): Uint8Array {
  switch (target) {
    case 'float32':
      return bytesOf(asFloat32(t));
    case 'float16':
      return bytesOf(t.dtype === 'float16' ? (t.data as Uint16Array) : float32ToFloat16Array(asFloat32(t)));
    case 'bfloat16':
      return bytesOf(float32ToBfloat16Array(asFloat32(t)));
    case 'int64':
      if (t.dtype !== 'int64') throw new DTypeError(`expected an int64 tensor, found ${t.dtype}`);
      return bytesOf(t.data as BigInt64Array);
    case 'int32':
      if (t.dtype !== 'int32') throw new DTypeError(`expected an int32 tensor, found ${t.dtype}`);
      return bytesOf(t.data as Int32Array);
    default:
      throw new DTypeError(`cannot write tensors as ${target}: expected float32, float16, bfloat16, int64 or int32`);
  }
}

const OUTPUT_DTYPE_NAMES: Readonly<Record<string, OutputDType>> = {
  f32: 'float32',
  fp32: 'float32',
  float32: 'float32',
  f16: 'float16',
  fp16: 'float16',
  half: 'float16',
  float16: 'float16',
  bf16: 'bfloat16',
  bfloat16: 'bfloat16',
};

/** Parses an output dtype as a user types it (`f16`, `bf16`, `float32`, ...). */
export function parseOutputDType(text: string): OutputDType {
  const d = OUTPUT_DTYPE_NAMES[text.toLowerCase()];
  if (!d) throw new SwinError('INVALID_ARGUMENT', `output dtype '${text}': expected f32, f16 or bf16`);
  return d;
}
