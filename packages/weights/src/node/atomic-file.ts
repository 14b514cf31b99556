import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ioError } from './file-byte-source.js';

/**
 * Writes a file so that it either appears complete or not at all: the content goes to a temporary
 * file in the same directory (same file system, so the rename is atomic), is flushed to disk, then
 * renamed over `path`. On any failure, or if the process exits midway, the temporary file is removed
 * and an existing file at `path` is left untouched.
 */
export async function writeFileAtomically(path: string, produce: (write: (bytes: Uint8Array) => void) => Promise<void> | void): Promise<number> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fd: number | undefined;
  let written = 0;
  const cleanup = () => {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      fd = undefined;
    }
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already gone
    }
  };
  process.once('exit', cleanup);
  try {
    try {
      fd = openSync(temp, 'wx');
    } catch (e) {
      throw ioError('cannot create', temp, e);
    }
    const write = (bytes: Uint8Array) => {
      let done = 0;
      while (done < bytes.length) {
        try {
          done += writeSync(fd!, bytes, done, bytes.length - done);
        } catch (e) {
          throw ioError('cannot write', temp, e);
        }
      }
      written += bytes.length;
    };
    await produce(write);
    try {
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
      renameSync(temp, path);
    } catch (e) {
      throw ioError('cannot finish writing', path, e);
    }
    return written;
  } catch (e) {
    cleanup();
    throw e;
  } finally {
    process.removeListener('exit', cleanup);
  }
}
