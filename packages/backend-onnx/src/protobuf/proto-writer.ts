// Protocol Buffers wire format, writer side: just what ONNX's ModelProto needs (varints, 32-bit
// floats, length-delimited bytes and sub-messages, packed repeated ints).
//
// A message is kept as a list of parts: small writes accumulate in a scratch array, large byte
// fields (tensor data) are kept by reference. `finish` copies every part once into one buffer of
// the exact size, so a weight is copied exactly once on its way into the model bytes.

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

/** Byte-level limits: a length prefix above 2^53 cannot be represented by a JS number. */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Byte parts of one message under construction. */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private scratch: number[] = [];
  private total = 0;

  /** Encoded size in bytes so far. */
  get size(): number {
    return this.total + this.scratch.length;
  }

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    this.parts.push(Uint8Array.from(this.scratch));
    this.total += this.scratch.length;
    this.scratch = [];
  }

  private rawVarint(value: number | bigint): void {
    if (typeof value === 'bigint') {
      // Negative int64 is two's complement over 64 bits, i.e. a 10-byte varint.
      let v = BigInt.asUintN(64, value);
      while (v >= 0x80n) {
        this.scratch.push(Number(v & 0x7fn) | 0x80);
        v >>= 7n;
      }
      this.scratch.push(Number(v));
      return;
    }
    if (!Number.isInteger(value) || Math.abs(value) > MAX_SAFE) throw new RangeError(`varint: ${value} is not a safe integer`);
    if (value < 0) return this.rawVarint(BigInt(value));
    let v = value;
    while (v >= 0x80) {
      this.scratch.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.scratch.push(v);
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  /** int32 / int64 / enum / bool field. */
  varint(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  /** float field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.scratch.push(...b);
    return this;
  }

  /** string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** bytes field; the array is referenced, not copied, until `finish`. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(value.byteLength);
    if (value.byteLength <= 64) {
      for (const byte of value) this.scratch.push(byte);
    } else {
      this.flushScratch();
      this.parts.push(value);
      this.total += value.byteLength;
    }
    return this;
  }

  /** Embedded message field; the sub-writer's parts are adopted, not copied. */
  message(field: number, sub: ProtoWriter): this {
    sub.flushScratch();
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(sub.total);
    this.flushScratch();
    for (const p of sub.parts) this.parts.push(p);
    this.total += sub.total;
    return this;
  }

  /** Packed repeated varints (proto3 default for repeated scalars). */
  packedVarints(field: number, values: readonly (number | bigint)[]): this {
    if (values.length === 0) return this;
    const inner = new ProtoWriter();
    for (const v of values) inner.rawVarint(v);
    inner.flushScratch();
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(inner.total);
    for (const p of inner.parts) for (const byte of p) this.scratch.push(byte);
    return this;
  }

  /** Packed repeated floats. */
  packedFloats(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  /** The message bytes: every part copied once into a buffer of the exact size. */
  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.total);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }
}
