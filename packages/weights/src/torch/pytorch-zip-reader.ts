import { FormatError } from '@swin/core';
import { ByteCursor } from '../bytes/byte-cursor.js';
import type { ByteSource } from '../bytes/byte-source.js';
import { STORED_DTYPE_BYTES } from '../dtypes/stored-dtype.js';
import type { ReadLimits } from '../limits.js';
import { unpickle } from '../pickle/safe-unpickler.js';
import { ZipArchive, type ZipOptions } from '../zip/zip-archive.js';
import type { PickledCheckpoint } from './pickled-checkpoint.js';
import { storageFromPersistentId } from './storage-persistent-id.js';
import { TORCH_ALLOWED_GLOBALS } from './torch-globals.js';
import type { TorchStorageRef } from './torch-storage.js';

/**
 * Reads a torch >= 1.6 checkpoint: a zip holding `<stem>/data.pkl` (the object, storages as
 * persistent ids) and `<stem>/data/<key>` (each storage's raw little-endian bytes). The stem is
 * whatever the file was named when saved, so data.pkl is found by pattern. Storages are located
 * here and read only when a tensor is loaded.
 */
export function readPytorchZip(source: ByteSource, limits: ReadLimits, options: ZipOptions & { verifyChecksums: boolean }): PickledCheckpoint {
  const zip = ZipArchive.open(source, limits, options);
  const pickles = [...zip.entries.keys()].filter((n) => /^([^/]+\/)?data\.pkl$/.test(n));
  const [pklName] = pickles;
  if (pklName === undefined || pickles.length !== 1) {
    const names = [...zip.entries.keys()];
    if (pickles.length > 1) throw new FormatError(`zip holds ${pickles.length} data.pkl entries (${pickles.join(', ')}): expected one`, zip.directoryOffset);
    if (names.some((n) => /(^|\/)constants\.pkl$/.test(n) || /(^|\/)code\//.test(n))) {
      throw new FormatError('this is a TorchScript archive (torch.jit.save): expected a checkpoint saved with torch.save(model.state_dict(), ...)', zip.directoryOffset);
    }
    throw new FormatError(`zip has no '<name>/data.pkl' entry, so it is not a torch.save checkpoint (entries: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`, zip.directoryOffset);
  }
  const stem = pklName.slice(0, pklName.length - 'data.pkl'.length);
  const byteorder = zip.entries.get(`${stem}byteorder`);
  if (byteorder && byteorder.uncompressedSize < 16) {
    const { source: s } = zip.open(byteorder);
    const order = new TextDecoder().decode(s.read(0, s.byteLength)).trim();
    if (order !== 'little') throw new FormatError(`checkpoint saved on a ${order}-endian machine: only little-endian storages are supported`, zip.dataOffset(byteorder));
  }
  const pkl = zip.entries.get(pklName)!;
  if (pkl.uncompressedSize > limits.maxPickleBytes) {
    throw new FormatError(`${pklName} is ${pkl.uncompressedSize} bytes, over the limit of ${limits.maxPickleBytes}`, pkl.localHeaderOffset, 'LIMIT_EXCEEDED');
  }
  const opened = zip.open(pkl);
  if (options.verifyChecksums) zip.verify(pkl, opened.source.read(0, opened.source.byteLength));

  const storages = new Map<string, TorchStorageRef>();
  const cursor = new ByteCursor(opened.source, 0, opened.source.byteLength, opened.fileOffset);
  const root = unpickle(cursor, {
    label: pklName,
    globals: TORCH_ALLOWED_GLOBALS,
    maxObjects: limits.maxPickleObjects,
    persistentLoad: (pid, offset) => storageFromPersistentId(pid, offset, storages, false),
  });

  for (const ref of storages.values()) {
    const name = `${stem}data/${ref.key}`;
    const entry = zip.entries.get(name);
    if (!entry) throw new FormatError(`zip entry '${name}' is missing: ${pklName} refers to storage '${ref.key}' (${ref.declaredNumel} x ${ref.dtype})`, ref.pickleOffset);
    const es = STORED_DTYPE_BYTES[ref.dtype];
    const need = ref.declaredNumel * es;
    if (entry.uncompressedSize < need) {
      throw new FormatError(`zip entry '${name}' holds ${entry.uncompressedSize} bytes, but storage '${ref.key}' declares ${ref.declaredNumel} x ${ref.dtype} = ${need} bytes`, entry.localHeaderOffset);
    }
    if (entry.method !== 0 && entry.uncompressedSize > need) {
      // Inflating costs memory: a compressed entry may hold no more than its storage declares.
      throw new FormatError(`zip entry '${name}' inflates to ${entry.uncompressedSize} bytes, but storage '${ref.key}' declares only ${need}`, entry.localHeaderOffset, 'LIMIT_EXCEEDED');
    }
    ref.location = {
      source: zip.storageSource(entry, options.verifyChecksums),
      byteOffset: 0,
      numel: ref.declaredNumel,
      dtype: ref.dtype,
      label: `'${name}'`,
      fileOffset: entry.method === 0 ? zip.dataOffset(entry) : entry.localHeaderOffset,
      compressed: entry.method !== 0,
    };
  }
  return { root, rootOffset: opened.fileOffset, storages };
}
