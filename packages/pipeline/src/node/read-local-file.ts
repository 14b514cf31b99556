import { checkAllocation } from '@swin/core';
import { openFileByteSource } from '@swin/weights/node';

/**
 * Reads a whole local file (a picture, classes.json, preprocess.json). Anything but a regular file
 * (a FIFO, a directory, a device) is refused without blocking, and the size is checked against the
 * memory limit before the bytes are allocated.
 */
export function readLocalFile(path: string, what: string): Uint8Array {
  const source = openFileByteSource(path);
  try {
    checkAllocation(source.byteLength, `reading ${what} ${path}`);
    return source.read(0, source.byteLength);
  } finally {
    source.close();
  }
}
