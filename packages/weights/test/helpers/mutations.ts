import { SeededRandom } from '@swin/core';

// Mutations for the fuzzer: each takes a file and a seeded random source and returns a new file.
// They aim at what parsers trust: lengths, counts, offsets and the bytes of pickles.

export type Mutation = (bytes: Uint8Array, rng: Rng) => Uint8Array;

/** A small deterministic random source (integers and picks) over core's SeededRandom. */
export class Rng {
  private readonly r: SeededRandom;
  constructor(seed: number) {
    this.r = new SeededRandom(seed);
  }
  float(): number {
    return this.r.uniform();
  }
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.r.uniform() * n));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const LARGE = [0xffffffff, 0x7fffffff, 0x80000000, 0x10000000, 0x00ffffff, 0xfffe, 1 << 20];

/** Flips 1-8 random bits, optionally inside [from, to). */
export function bitFlips(from = 0, to?: number): Mutation {
  return (bytes, rng) => {
    const out = bytes.slice();
    const end = Math.min(to ?? out.length, out.length);
    const n = 1 + rng.int(8);
    for (let i = 0; i < n && end > from; i++) {
      const at = from + rng.int(end - from);
      out[at] = out[at]! ^ (1 << rng.int(8));
    }
    return out;
  };
}

/** Cuts the file at a random length. */
export const truncate: Mutation = (bytes, rng) => bytes.slice(0, rng.int(bytes.length));

/** Writes a large 32- or 64-bit little-endian value at a random position (inside [from, to) if given). */
export function inflateLength(from = 0, to?: number): Mutation {
  return (bytes, rng) => {
    const out = bytes.slice();
    const end = Math.min(to ?? out.length, out.length) - 8;
    if (end <= from) return out;
    const at = from + rng.int(end - from);
    const v = rng.pick(LARGE);
    const dv = new DataView(out.buffer);
    if (rng.float() < 0.5) dv.setUint32(at, v, true);
    else dv.setBigUint64(at, BigInt(v) * BigInt(1 + rng.int(1 << 20)), true);
    return out;
  };
}

/** Makes the length field after each occurrence of an opcode (pickle string/bytes ops) huge. */
export function inflateOpcodeLength(opcodes: readonly number[], from: number, to: number): Mutation {
  return (bytes, rng) => {
    const out = bytes.slice();
    const hits: number[] = [];
    for (let i = from; i < Math.min(to, out.length - 5); i++) if (opcodes.includes(out[i]!)) hits.push(i);
    if (hits.length === 0) return out;
    const at = rng.pick(hits);
    new DataView(out.buffer).setUint32(at + 1, rng.pick(LARGE), true);
    return out;
  };
}

/** Replaces a run of digits in a JSON header with a huge number (safetensors shapes and offsets). */
export function inflateJsonNumber(headerEndOfOriginal: number): Mutation {
  return (bytes, rng) => {
    // An earlier mutation may have cut the file short.
    const headerEnd = Math.min(headerEndOfOriginal, bytes.length);
    if (headerEnd < 8) return bytes;
    const text = new TextDecoder().decode(bytes.subarray(8, headerEnd));
    const runs = [...text.matchAll(/\d+/g)];
    if (runs.length === 0) return bytes;
    const m = rng.pick(runs);
    const big = rng.pick(['99999999999', '4294967296', '18446744073709551615', '1e300', '-1', '0']);
    const replaced = text.slice(0, m.index) + big + text.slice(m.index! + m[0].length);
    const head = new TextEncoder().encode(replaced);
    const out = new Uint8Array(8 + head.length + bytes.length - headerEnd);
    out.set(bytes.subarray(0, 8));
    new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
    out.set(head, 8);
    out.set(bytes.subarray(headerEnd), 8 + head.length);
    return out;
  };
}

/** Removes or duplicates a random chunk (shifts every offset after it). */
export const splice: Mutation = (bytes, rng) => {
  const at = rng.int(bytes.length);
  const len = 1 + rng.int(Math.min(64, bytes.length - at));
  if (rng.float() < 0.5) {
    const out = new Uint8Array(bytes.length - len);
    out.set(bytes.subarray(0, at));
    out.set(bytes.subarray(at + len), at);
    return out;
  }
  const out = new Uint8Array(bytes.length + len);
  out.set(bytes.subarray(0, at + len));
  out.set(bytes.subarray(at, at + len), at + len);
  out.set(bytes.subarray(at + len), at + 2 * len);
  return out;
};

/** Overwrites a random range with random bytes. */
export function randomBytes(from = 0, to?: number): Mutation {
  return (bytes, rng) => {
    const out = bytes.slice();
    const end = Math.min(to ?? out.length, out.length);
    if (end <= from) return out;
    const at = from + rng.int(end - from);
    const len = 1 + rng.int(16);
    for (let i = at; i < Math.min(end, at + len); i++) out[i] = rng.int(256);
    return out;
  };
}
