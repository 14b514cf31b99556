import { FormatError } from '@swin/core';

/**
 * Random access to a file's bytes. Readers take one so the same parsing code serves a browser
 * (bytes already in memory) and Node (reads by offset from a file handle, never the whole file).
 */
export interface ByteSource {
  readonly byteLength: number;
  /** Bytes [offset, offset + length): a view or a copy, never to be mutated or kept past the next read. */
  read(offset: number, length: number): Uint8Array;
  /** Copies bytes [offset, offset + target.length) into `target` (which the caller owns). */
  readInto(offset: number, target: Uint8Array): void;
}

/** Throws the truncation error every reader reports when a range runs past the end of its source. */
export function checkRange(source: ByteSource, offset: number, length: number, what: string, baseOffset = 0): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > source.byteLength) {
    throw new FormatError(
      `truncated or corrupt file: ${what} needs bytes [${offset}, ${offset + length}) but only ${source.byteLength} are available`,
      baseOffset + Math.min(Math.max(0, offset), source.byteLength),
    );
  }
}

/** A source over bytes in memory; reads are views (no copy). */
export function memoryByteSource(bytes: Uint8Array): ByteSource {
  return {
    byteLength: bytes.byteLength,
    read(offset, length) {
      checkRange(this, offset, length, 'a read');
      return bytes.subarray(offset, offset + length);
    },
    readInto(offset, target) {
      checkRange(this, offset, target.length, 'a read');
      target.set(bytes.subarray(offset, offset + target.length));
    },
  };
}

/** The bytes [start, start + length) of another source, addressed from 0. */
export function sliceByteSource(source: ByteSource, start: number, length: number): ByteSource {
  checkRange(source, start, length, 'a slice');
  return {
    byteLength: length,
    read(offset, len) {
      checkRange(this, offset, len, 'a read', start);
      return source.read(start + offset, len);
    },
    readInto(offset, target) {
      checkRange(this, offset, target.length, 'a read', start);
      source.readInto(start + offset, target);
    },
  };
}
