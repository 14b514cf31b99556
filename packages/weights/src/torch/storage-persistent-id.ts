import { FormatError } from '@swin/core';
import { asSafeInt, describePy, PyTuple, type PyValue } from '../pickle/python-values.js';
import { storageDType } from './torch-globals.js';
import { TorchStorageRef } from './torch-storage.js';

/**
 * Parses torch's storage persistent id, ('storage', StorageType, key, location, numel) in zip files
 * (a sixth item, view metadata, in legacy ones), and returns one shared ref per key so several
 * tensors viewing one storage read the same bytes.
 */
export function storageFromPersistentId(pid: PyValue, offset: number, storages: Map<string, TorchStorageRef>, legacy: boolean): TorchStorageRef {
  const [tag, type, key, , count, viewMetadata] = pid instanceof PyTuple ? pid.items : [];
  if (tag !== 'storage' || type === undefined || key === undefined || count === undefined) {
    throw new FormatError(`persistent id: expected ('storage', type, key, location, numel), found ${describePy(pid)}${tag !== undefined ? ` starting ${JSON.stringify(typeof tag === 'string' ? tag : describePy(tag))}` : ''}`);
  }
  const dtype = storageDType(type);
  if (typeof key !== 'string' || key.length === 0 || key.length > 256) throw new FormatError(`persistent id: expected a storage key string, found ${describePy(key)}`);
  const numel = asSafeInt(count);
  if (numel === undefined || numel < 0) throw new FormatError(`persistent id of storage '${key}': expected a non-negative element count, found ${describePy(count)}`);
  if (legacy && viewMetadata !== undefined && viewMetadata !== null) {
    throw new FormatError(`storage '${key}': legacy view metadata (torch < 0.4 storage views) is not supported`);
  }
  const known = storages.get(key);
  if (known) {
    if (known.dtype !== dtype || known.declaredNumel !== numel) {
      throw new FormatError(`storage '${key}' is declared twice: as ${known.declaredNumel} x ${known.dtype} and as ${numel} x ${dtype}`);
    }
    return known;
  }
  const ref = new TorchStorageRef(key, dtype, numel, offset);
  storages.set(key, ref);
  return ref;
}
