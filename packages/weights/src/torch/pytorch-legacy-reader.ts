import { FormatError } from '@swin/core';
import { ByteCursor } from '../bytes/byte-cursor.js';
import { checkRange, type ByteSource } from '../bytes/byte-source.js';
import { readU32 } from '../bytes/little-endian.js';
import { STORED_DTYPE_BYTES } from '../dtypes/stored-dtype.js';
import type { ReadLimits } from '../limits.js';
import { unpickle } from '../pickle/safe-unpickler.js';
import { describePy, PyDict, type PyValue } from '../pickle/python-values.js';
import type { PickledCheckpoint } from './pickled-checkpoint.js';
import { storageFromPersistentId } from './storage-persistent-id.js';
import { TORCH_ALLOWED_GLOBALS } from './torch-globals.js';
import type { TorchStorageRef } from './torch-storage.js';

/** The legacy format's magic number (torch/serialization.py), the first pickle of the file. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

/**
 * Reads the pre-1.6 (non-zip) torch.save format: five pickles in a row (magic number, protocol
 * version, sys_info, the object, the list of storage keys), then each storage as an int64 element
 * count followed by its raw bytes, in the order of that list.
 */
export function readPytorchLegacy(source: ByteSource, limits: ReadLimits): PickledCheckpoint {
  const cursor = new ByteCursor(source, 0, Math.min(source.byteLength, limits.maxPickleBytes));
  const plain = (label: string) => unpickle(cursor, { label, globals: new Map(), maxObjects: limits.maxPickleObjects });

  const magic = plain('legacy header (magic number)');
  if (magic !== LEGACY_MAGIC) {
    throw new FormatError(`not a torch checkpoint: expected the legacy magic number 0x${LEGACY_MAGIC.toString(16)} as the first pickle, found ${describePy(magic)}`, 0);
  }
  const protocolAt = cursor.offset;
  const protocol = plain('legacy header (protocol version)');
  if (protocol !== LEGACY_PROTOCOL) throw new FormatError(`legacy torch protocol ${String(protocol)}: expected ${LEGACY_PROTOCOL}`, protocolAt);
  const infoAt = cursor.offset;
  const sysInfo = plain('legacy header (sys_info)');
  if (sysInfo instanceof PyDict && sysInfo.entries.get('little_endian') === false) {
    throw new FormatError('checkpoint saved on a big-endian machine: only little-endian storages are supported', infoAt);
  }

  const storages = new Map<string, TorchStorageRef>();
  const rootOffset = cursor.offset;
  const root = unpickle(cursor, {
    label: 'legacy checkpoint object',
    globals: TORCH_ALLOWED_GLOBALS,
    maxObjects: limits.maxPickleObjects,
    persistentLoad: (pid, offset) => storageFromPersistentId(pid, offset, storages, true),
  });
  const keysAt = cursor.offset;
  const keys: PyValue = plain('legacy storage key list');
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new FormatError(`legacy storage key list: expected a list of strings, found ${describePy(keys)}`, keysAt);

  let pos = cursor.position;
  for (const key of keys as string[]) {
    const ref = storages.get(key);
    if (!ref) throw new FormatError(`legacy storage '${key}' is listed but no tensor refers to it`, pos);
    if (ref.location) throw new FormatError(`legacy storage '${key}' is listed twice`, pos);
    checkRange(source, pos, 8, `the element count of storage '${key}'`);
    const head = source.read(pos, 8);
    const lo = readU32(head, 0);
    const hi = readU32(head, 4);
    const es = STORED_DTYPE_BYTES[ref.dtype];
    const numel = hi * 0x100000000 + lo;
    if (hi >= 0x200000 || numel * es > source.byteLength - pos - 8) {
      throw new FormatError(`legacy storage '${key}' claims ${hi >= 0x200000 ? 'over 2^53' : numel} elements of ${es} bytes, more than the ${source.byteLength - pos - 8} bytes left`, pos);
    }
    if (numel !== ref.declaredNumel) throw new FormatError(`legacy storage '${key}' holds ${numel} elements but the object pickle declares ${ref.declaredNumel}`, pos);
    ref.location = { source, byteOffset: pos + 8, numel, dtype: ref.dtype, label: `'${key}'`, fileOffset: pos + 8 };
    pos += 8 + numel * es;
  }
  for (const ref of storages.values()) {
    if (!ref.location) throw new FormatError(`legacy storage '${ref.key}' is used by a tensor but missing from the storage list`, keysAt);
  }
  return { root, rootOffset, storages };
}
