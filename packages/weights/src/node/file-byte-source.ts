import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { FormatError, SwinError } from '@swin/core';
import { checkRange, type ByteSource } from '../bytes/byte-source.js';

/** A ByteSource over an open file, reading by offset: a checkpoint is never read whole into memory. */
export interface FileByteSource extends ByteSource {
  readonly path: string;
  close(): void;
}

/** Wraps a Node file-system error as a SwinError naming the file. */
export function ioError(what: string, path: string, e: unknown): SwinError {
  if (e instanceof SwinError) return e;
  return new SwinError('IO_ERROR', `${what} '${path}': ${(e as Error).message}`, { cause: e });
}

/** What a non-regular file is, for messages. */
export function fileKind(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return 'special file';
}

/** Opens a file for random-access reading; anything but a regular file is refused without blocking. */
export function openFileByteSource(path: string): FileByteSource {
  let fd: number;
  let size: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever; it is
    // refused below instead. Reads from a regular file ignore the flag.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile()) {
      closeSync(fd);
      throw new SwinError('IO_ERROR', `'${path}' is not a regular file (a ${fileKind(st)})`);
    }
    size = st.size;
  } catch (e) {
    throw ioError('cannot open', path, e);
  }
  let closed = false;
  const fill = (offset: number, target: Uint8Array) => {
    let done = 0;
    while (done < target.length) {
      let n: number;
      try {
        n = readSync(fd, target, done, target.length - done, offset + done);
      } catch (e) {
        throw ioError('cannot read', path, e);
      }
      if (n === 0) throw new FormatError(`'${path}' ended early: it is shorter than when it was opened`, offset + done);
      done += n;
    }
  };
  return {
    path,
    byteLength: size,
    read(offset, length) {
      checkRange(this, offset, length, 'a read');
      const out = new Uint8Array(length);
      fill(offset, out);
      return out;
    },
    readInto(offset, target) {
      checkRange(this, offset, target.length, 'a read');
      fill(offset, target);
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}
