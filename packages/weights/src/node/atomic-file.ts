import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ioError } from './file-byte-source.js';

/**
 * The one atomic file writer of the repository (the CLI's outputs, converted checkpoints, reports).
 *
 * Writes a file so that it either appears complete or not at all: the content goes to a temporary
 * file in the same directory (same file system, so the rename is atomic), is flushed to disk, then
 * renamed over `path`. On any failure, at process exit, and on SIGINT / SIGTERM / SIGHUP, the
 * temporary file is removed and an existing file at `path` is left untouched.
 */
export async function writeFileAtomically(path: string, produce: (write: (bytes: Uint8Array) => void) => Promise<void> | void): Promise<number> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
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
  liveTemps.add(cleanup);
  watchSignals();
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
    liveTemps.delete(cleanup);
    if (liveTemps.size === 0) unwatchSignals();
  }
}

/** writeFileAtomically for bytes or text already in memory, creating the output's directory if needed. */
export function writeBytesAtomically(path: string, data: Uint8Array | string): Promise<number> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw ioError('cannot create the directory of', path, e);
  }
  return writeFileAtomically(path, (write) => write(bytes));
}

// Removers of the temporary files being written now. Node runs 'exit' listeners on a normal exit
// only; a signal's default action kills the process without them, so the signals that end a CLI
// (Ctrl-C, kill, a closed terminal) are caught while a write is under way, the temporary files
// removed, and the signal raised again so the process still ends the way it was asked to.
const liveTemps = new Set<() => void>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let watching = false;

function removeLiveTemps(): void {
  for (const cleanup of liveTemps) cleanup();
  liveTemps.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeLiveTemps();
  unwatchSignals();
  // Another listener (the embedding program's own) decides what the signal does; otherwise die of it.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function watchSignals(): void {
  if (watching) return;
  watching = true;
  process.on('exit', removeLiveTemps);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function unwatchSignals(): void {
  if (!watching) return;
  watching = false;
  process.removeListener('exit', removeLiveTemps);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}
