import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SwinError } from '@swin/core';

/**
 * Writes bytes atomically: to a temporary file in the destination's directory (same filesystem,
 * so the rename is atomic), flushed to disk, then renamed over `path`. A crash or a full disk
 * leaves either the old file or the new one, never half a model.
 */
export async function writeOnnxFile(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx');
    try {
      let written = 0;
      while (written < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, written, Math.min(bytes.byteLength - written, 1 << 30));
        written += bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (cause) {
    await rm(tmp, { force: true });
    throw new SwinError('IO_ERROR', `could not write ONNX model to '${path}': ${(cause as Error).message}`, { cause });
  }
}
