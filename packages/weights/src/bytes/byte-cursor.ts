import { FormatError } from '@swin/core';
import type { ByteSource } from './byte-source.js';
import { readU16, readU32 } from './little-endian.js';

/** Bytes fetched from the source at a time: large enough that a pickle is a handful of reads. */
const WINDOW = 1 << 20;

/**
 * A forward reader over a ByteSource with a buffered window, for formats parsed byte by byte
 * (pickles). Every read is bounds-checked against `limit` and reports the absolute file offset.
 */
export class ByteCursor {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;
  private pos: number;

  /**
   * @param source bytes to read
   * @param start first position to read
   * @param limit position past which nothing may be read (a format's size bound)
   * @param fileOffset file offset of the source's byte 0, so errors name positions in the file
   */
  constructor(
    private readonly source: ByteSource,
    start: number,
    private readonly limit: number,
    readonly fileOffset = 0,
  ) {
    this.pos = start;
  }

  /** Current position (relative to the source). */
  get position(): number {
    return this.pos;
  }

  /** Absolute file offset of the current position, for error messages. */
  get offset(): number {
    return this.fileOffset + this.pos;
  }

  get remaining(): number {
    return Math.min(this.limit, this.source.byteLength) - this.pos;
  }

  private fail(n: number, what: string): never {
    const end = Math.min(this.limit, this.source.byteLength);
    const reason = end === this.source.byteLength ? 'the data ends' : 'the size limit is reached';
    throw new FormatError(`truncated: ${what} needs ${n} bytes but ${reason} after ${Math.max(0, end - this.pos)}`, this.offset);
  }

  /** Makes n bytes from pos available in the window and returns their index in it. */
  private ensure(n: number, what: string): number {
    if (n > this.remaining) this.fail(n, what);
    const rel = this.pos - this.windowStart;
    if (rel >= 0 && rel + n <= this.window.length) return rel;
    const len = Math.min(Math.max(n, WINDOW), this.remaining);
    this.window = this.source.read(this.pos, len);
    this.windowStart = this.pos;
    return 0;
  }

  u8(what = 'a byte'): number {
    const i = this.ensure(1, what);
    this.pos += 1;
    // ensure() made the byte at i available in the window.
    return this.window[i]!;
  }

  u16(what = 'a 2-byte integer'): number {
    const i = this.ensure(2, what);
    this.pos += 2;
    return readU16(this.window, i);
  }

  u32(what = 'a 4-byte integer'): number {
    const i = this.ensure(4, what);
    this.pos += 4;
    return readU32(this.window, i);
  }

  i32(what = 'a 4-byte integer'): number {
    const v = this.u32(what);
    return v >= 0x80000000 ? v - 0x100000000 : v;
  }

  /** A little-endian u64 that must fit a safe integer (lengths, counts). */
  u64(what = 'an 8-byte integer'): number {
    const at = this.offset;
    const lo = this.u32(what);
    const hi = this.u32(what);
    if (hi >= 0x200000) throw new FormatError(`${what}: value ${BigInt(hi) * 2n ** 32n + BigInt(lo)} is too large`, at);
    return hi * 0x100000000 + lo;
  }

  /** Big-endian IEEE double (pickle BINFLOAT). */
  f64be(what = 'a float'): number {
    const i = this.ensure(8, what);
    this.pos += 8;
    return new DataView(this.window.buffer, this.window.byteOffset + i, 8).getFloat64(0, false);
  }

  /** n bytes as a view valid until the next read; n is checked against what remains first. */
  bytes(n: number, what = 'bytes'): Uint8Array {
    if (!Number.isSafeInteger(n) || n < 0) throw new FormatError(`${what}: invalid length ${n}`, this.offset);
    const i = this.ensure(n, what);
    this.pos += n;
    return this.window.subarray(i, i + n);
  }

  /** Bytes up to (not including) the next '\n', at most maxLength of them (text opcodes). */
  line(maxLength: number, what: string): Uint8Array {
    const start = this.offset;
    const n = Math.min(maxLength + 1, this.remaining);
    const i = this.ensure(n, what);
    const nl = this.window.subarray(i, i + n).indexOf(0x0a);
    if (nl < 0) throw new FormatError(`${what}: expected a newline-terminated line of at most ${maxLength} bytes`, start);
    this.pos += nl + 1;
    return this.window.subarray(i, i + nl);
  }
}
