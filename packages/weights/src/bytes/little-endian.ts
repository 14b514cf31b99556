import { FormatError } from '@swin/core';

// Little-endian unsigned integers at index `i` of a block of a file's bytes (zip records, torch's
// legacy storage headers). A read past the block is a FormatError naming it, never an undefined
// that bitwise operators would turn into 0 (or arithmetic into NaN).

function checkRead(b: Uint8Array, i: number, n: number): void {
  if (!(Number.isInteger(i) && i >= 0 && i + n <= b.length)) throw new FormatError(`a ${n}-byte integer at ${i} runs past the end of a ${b.length}-byte block`);
}

/** The u16 at b[i..i+2). */
export function readU16(b: Uint8Array, i: number): number {
  checkRead(b, i, 2);
  // i + 1 < b.length: checked above.
  return b[i]! | (b[i + 1]! << 8);
}

/** The u32 at b[i..i+4) (as a non-negative number, not an int32). */
export function readU32(b: Uint8Array, i: number): number {
  checkRead(b, i, 4);
  // i + 3 < b.length: checked above.
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)) + b[i + 3]! * 0x1000000;
}
