import { FormatError } from '@swin/core';
import { checkRange, memoryByteSource, sliceByteSource, type ByteSource } from '../bytes/byte-source.js';
import { crc32, type Crc32Function } from '../bytes/crc32.js';
import { readU16, readU32 } from '../bytes/little-endian.js';
import type { ReadLimits } from '../limits.js';

// A minimal zip reader for what torch.save writes: stored (uncompressed) entries, zip64 when the
// archive is large. Deflated entries are accepted when the caller supplies an inflater (the Node
// entry passes zlib's), since a checkpoint re-zipped by a tool may have them.

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
/** Bytes read at a time to checksum a stored entry that is read only in parts. */
const CRC_CHUNK = 8 * 1024 * 1024;

/** One file of the archive, as the central directory describes it. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly crc32: number;
  readonly localHeaderOffset: number;
}

/** Decompresses raw deflate data to exactly `expectedSize` bytes (throwing if it would be more). */
export type InflateRaw = (data: Uint8Array, expectedSize: number) => Uint8Array;

/** Hooks the platform can supply: an inflater for deflated entries, a faster CRC-32. */
export interface ZipOptions {
  readonly inflateRaw?: InflateRaw;
  readonly crc32?: Crc32Function;
}

function u64(b: Uint8Array, i: number, what: string, fileOffset: number): number {
  const lo = readU32(b, i);
  const hi = readU32(b, i + 4);
  if (hi >= 0x200000) throw new FormatError(`zip: ${what} ${BigInt(hi) * 2n ** 32n + BigInt(lo)} is impossibly large`, fileOffset + i);
  return hi * 0x100000000 + lo;
}

/** True when the bytes start like a zip archive (a local file header). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && readU32(head, 0) === LOCAL_SIG;
}

/** The central directory of a zip archive, with access to each entry's data by offset. */
export class ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>;

  private constructor(
    private readonly source: ByteSource,
    entries: Map<string, ZipEntry>,
    /** File offset of the central directory, for errors about the archive as a whole. */
    readonly directoryOffset: number,
    private readonly options: ZipOptions,
    private readonly limits: ReadLimits,
  ) {
    this.entries = entries;
  }

  /** Reads the end-of-central-directory record and the central directory (the file's tail). */
  static open(source: ByteSource, limits: ReadLimits, options: ZipOptions = {}): ZipArchive {
    const size = source.byteLength;
    if (size < 22) throw new FormatError(`zip: ${size} bytes is too short for an end-of-central-directory record (22 bytes)`, 0);
    const tailLen = Math.min(size, 22 + 0xffff);
    const tailStart = size - tailLen;
    const tail = source.read(tailStart, tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (readU32(tail, i) === EOCD_SIG && i + 22 + readU16(tail, i + 20) === tailLen) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new FormatError('zip: end-of-central-directory record not found (the file is truncated or not a zip)', size);
    let count = readU16(tail, eocd + 10);
    let cdSize = readU32(tail, eocd + 12);
    let cdOffset = readU32(tail, eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || readU32(tail, loc) !== ZIP64_LOCATOR_SIG) throw new FormatError('zip: zip64 values without a zip64 locator', tailStart + eocd);
      const recOffset = u64(tail, loc + 8, 'zip64 record offset', tailStart);
      checkRange(source, recOffset, 56, 'the zip64 end-of-central-directory record');
      const rec = source.read(recOffset, 56);
      if (readU32(rec, 0) !== ZIP64_EOCD_SIG) throw new FormatError('zip: zip64 end-of-central-directory signature not found', recOffset);
      count = u64(rec, 32, 'entry count', recOffset);
      cdSize = u64(rec, 40, 'central directory size', recOffset);
      cdOffset = u64(rec, 48, 'central directory offset', recOffset);
    }
    if (count > limits.maxZipEntries) throw new FormatError(`zip: ${count} entries exceed the limit of ${limits.maxZipEntries}`, tailStart + eocd, 'LIMIT_EXCEEDED');
    if (count * 46 > cdSize) throw new FormatError(`zip: ${count} entries cannot fit a central directory of ${cdSize} bytes`, tailStart + eocd);
    checkRange(source, cdOffset, cdSize, 'the zip central directory');
    const cd = source.read(cdOffset, cdSize);
    const entries = new Map<string, ZipEntry>();
    const decoder = new TextDecoder();
    let p = 0;
    for (let k = 0; k < count; k++) {
      const at = cdOffset + p;
      if (p + 46 > cdSize || readU32(cd, p) !== CENTRAL_SIG) throw new FormatError(`zip: central directory entry ${k} of ${count} is missing or corrupt`, at);
      const flags = readU16(cd, p + 8);
      const method = readU16(cd, p + 10);
      const crc = readU32(cd, p + 16);
      let csize = readU32(cd, p + 20);
      let usize = readU32(cd, p + 24);
      const nameLen = readU16(cd, p + 28);
      const extraLen = readU16(cd, p + 30);
      const commentLen = readU16(cd, p + 32);
      let local = readU32(cd, p + 42);
      const end = p + 46 + nameLen + extraLen + commentLen;
      if (end > cdSize) throw new FormatError(`zip: central directory entry ${k} runs past the directory`, at);
      const name = decoder.decode(cd.subarray(p + 46, p + 46 + nameLen));
      if (flags & 1) throw new FormatError(`zip: entry '${name}' is encrypted`, at);
      // zip64 extra field: the 64-bit values of whichever fields hold 0xffffffff, in this order.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = readU16(cd, e);
        const len = readU16(cd, e + 2);
        if (e + 4 + len > extraEnd) throw new FormatError(`zip: extra field of '${name}' runs past its entry`, cdOffset + e);
        if (id === 0x0001) {
          let q = e + 4;
          const take = (what: string) => {
            if (q + 8 > e + 4 + len) throw new FormatError(`zip: zip64 field of '${name}' lacks the ${what}`, cdOffset + q);
            const v = u64(cd, q, what, cdOffset);
            q += 8;
            return v;
          };
          if (usize === 0xffffffff) usize = take('uncompressed size');
          if (csize === 0xffffffff) csize = take('compressed size');
          if (local === 0xffffffff) local = take('local header offset');
        }
        e += 4 + len;
      }
      if (entries.has(name)) throw new FormatError(`zip: entry '${name}' appears twice`, at);
      if (local + csize > size) throw new FormatError(`zip: entry '${name}' claims bytes [${local}, ${local + csize}) beyond the ${size}-byte file`, at);
      entries.set(name, { name, method, compressedSize: csize, uncompressedSize: usize, crc32: crc, localHeaderOffset: local });
      p = end;
    }
    return new ZipArchive(source, entries, cdOffset, options, limits);
  }

  /** File offset of an entry's data (after its local header, whose extra field torch uses for alignment padding). */
  dataOffset(entry: ZipEntry): number {
    checkRange(this.source, entry.localHeaderOffset, 30, `the local header of '${entry.name}'`);
    const h = this.source.read(entry.localHeaderOffset, 30);
    if (readU32(h, 0) !== LOCAL_SIG) throw new FormatError(`zip: local header of '${entry.name}' not found`, entry.localHeaderOffset);
    const start = entry.localHeaderOffset + 30 + readU16(h, 26) + readU16(h, 28);
    checkRange(this.source, start, entry.compressedSize, `the data of '${entry.name}'`);
    return start;
  }

  /**
   * The entry's uncompressed bytes as a source. Stored entries are a slice of the file (read on
   * demand); deflated ones are inflated into memory, bounded by the declared size and the limits.
   */
  open(entry: ZipEntry): { source: ByteSource; fileOffset: number } {
    const start = this.dataOffset(entry);
    if (entry.method === METHOD_STORED) {
      if (entry.uncompressedSize !== entry.compressedSize) {
        throw new FormatError(`zip: stored entry '${entry.name}' has compressed size ${entry.compressedSize} but uncompressed size ${entry.uncompressedSize}`, entry.localHeaderOffset);
      }
      return { source: sliceByteSource(this.source, start, entry.compressedSize), fileOffset: start };
    }
    if (entry.method === METHOD_DEFLATE) {
      if (!this.options.inflateRaw) {
        throw new FormatError(`zip: entry '${entry.name}' is deflate-compressed; torch.save stores entries uncompressed. Re-save the checkpoint with torch.save, or read it with @swin/weights/node, which inflates`, entry.localHeaderOffset);
      }
      if (entry.uncompressedSize > this.limits.maxTensorBytes) {
        throw new FormatError(`zip: entry '${entry.name}' inflates to ${entry.uncompressedSize} bytes, over the limit of ${this.limits.maxTensorBytes}`, entry.localHeaderOffset, 'LIMIT_EXCEEDED');
      }
      let data: Uint8Array;
      try {
        data = this.options.inflateRaw(this.source.read(start, entry.compressedSize), entry.uncompressedSize);
      } catch (e) {
        throw new FormatError(`zip: entry '${entry.name}' does not inflate: ${(e as Error).message}`, start);
      }
      if (data.length !== entry.uncompressedSize) throw new FormatError(`zip: entry '${entry.name}' inflates to ${data.length} bytes, expected ${entry.uncompressedSize}`, start);
      this.verify(entry, data);
      return { source: memoryByteSource(data), fileOffset: start };
    }
    throw new FormatError(`zip: entry '${entry.name}' uses compression method ${entry.method}; expected 0 (stored) or 8 (deflate)`, entry.localHeaderOffset);
  }

  /**
   * The entry's uncompressed bytes as a source for storages, which tensors read by range:
   * - the entry's CRC-32 is checked before the first bytes are handed out, over the whole entry
   *   whatever range is asked (a storage that several views share, each reading a part, is checked
   *   too; a file changed under us is not re-checked);
   * - a deflated entry is inflated on every read and nothing is kept: an inflated storage lives
   *   only while the read that needs it runs, so a file of many deflated storages costs one at a time.
   */
  storageSource(entry: ZipEntry, verifyChecksum: boolean): ByteSource {
    if (entry.method !== METHOD_STORED) {
      // Checks method and size before any read, so a bad entry fails when the checkpoint is opened.
      if (entry.method !== METHOD_DEFLATE) this.open(entry);
      if (entry.uncompressedSize > this.limits.maxTensorBytes) {
        throw new FormatError(`zip: entry '${entry.name}' inflates to ${entry.uncompressedSize} bytes, over the limit of ${this.limits.maxTensorBytes}`, entry.localHeaderOffset, 'LIMIT_EXCEEDED');
      }
      const inflated = () => this.open(entry).source;
      return {
        byteLength: entry.uncompressedSize,
        read: (o, n) => inflated().read(o, n),
        readInto: (o, t) => inflated().readInto(o, t),
      };
    }
    const whole = this.open(entry).source;
    let verified = !verifyChecksum;
    const verifyAll = (): void => {
      let crc = 0;
      const fn = this.options.crc32 ?? crc32;
      for (let at = 0; at < whole.byteLength; at += CRC_CHUNK) crc = fn(whole.read(at, Math.min(CRC_CHUNK, whole.byteLength - at)), crc);
      this.checkCrc(entry, crc);
      verified = true;
    };
    return {
      byteLength: whole.byteLength,
      read: (o, n) => {
        if (!verified) verifyAll();
        return whole.read(o, n);
      },
      readInto: (o, t) => {
        if (verified) return whole.readInto(o, t);
        if (o === 0 && t.length === whole.byteLength) {
          // Reading it all anyway: check these bytes rather than reading twice.
          whole.readInto(o, t);
          this.verify(entry, t);
          verified = true;
          return;
        }
        verifyAll();
        whole.readInto(o, t);
      },
    };
  }

  /** Checks an entry's whole uncompressed content against the CRC-32 in the central directory. */
  verify(entry: ZipEntry, data: Uint8Array): void {
    this.checkCrc(entry, (this.options.crc32 ?? crc32)(data));
  }

  private checkCrc(entry: ZipEntry, crc: number): void {
    if (crc >>> 0 !== entry.crc32 >>> 0) {
      throw new FormatError(`zip: entry '${entry.name}' fails its checksum (CRC-32 ${hex(crc)}, the directory says ${hex(entry.crc32)}): the file is corrupt`, entry.localHeaderOffset);
    }
  }
}

function hex(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}
