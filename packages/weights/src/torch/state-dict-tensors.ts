import { FormatError } from '@swin/core';
import { STORED_DTYPE_BYTES } from '../dtypes/stored-dtype.js';
import type { ReadLimits } from '../limits.js';
import { describePy, PyDict, type PyValue } from '../pickle/python-values.js';
import type { LazyTensor } from '../tensors/lazy-tensor.js';
import { checkView, readView, type StorageLocation } from '../tensors/strided-view.js';
import { TorchTensorRef } from './torch-storage.js';

/** Keys under which training scripts nest the state dict, most specific first. */
const WRAPPER_KEYS = ['model', 'state_dict', 'model_state_dict', 'module'] as const;

function tensorCount(d: PyDict): number {
  let n = 0;
  for (const v of d.entries.values()) if (v instanceof TorchTensorRef) n++;
  return n;
}

/**
 * Finds the state dict in an unpickled checkpoint: the object itself when it maps names to tensors,
 * or what sits under 'model' / 'state_dict' (official, timm and most training scripts), a few
 * levels deep. Returns the path taken.
 */
export function findStateDict(root: PyValue, offset: number): { dict: PyDict; wrappers: string[] } {
  let node = root;
  const wrappers: string[] = [];
  for (let depth = 0; depth < 4; depth++) {
    if (!(node instanceof PyDict)) break;
    if (tensorCount(node) > 0) return { dict: node, wrappers };
    const key = WRAPPER_KEYS.find((k) => node instanceof PyDict && node.entries.get(k) instanceof PyDict);
    if (!key) break;
    wrappers.push(key);
    node = node.entries.get(key)!;
  }
  const keys = root instanceof PyDict ? [...root.entries.keys()].filter((k): k is string => typeof k === 'string') : [];
  throw new FormatError(
    `no state dict found: expected a dict of tensors, or one under ${WRAPPER_KEYS.map((k) => `'${k}'`).join(' / ')}; the checkpoint holds ${describePy(root)}${keys.length ? ` with keys ${keys.slice(0, 8).map((k) => `'${k}'`).join(', ')}` : ''}`,
    offset,
  );
}

/** A storage location seen with another element type (torch >= 2 tensors over untyped byte storages). */
function reinterpret(loc: StorageLocation, ref: TorchTensorRef): StorageLocation {
  if (ref.dtype === loc.dtype) return loc;
  const es = STORED_DTYPE_BYTES[ref.dtype];
  return { ...loc, dtype: ref.dtype, numel: Math.floor(loc.numel / es) };
}

/**
 * Turns a state dict's tensor entries into lazy tensors, checking every view against its storage
 * now (so a bad file fails before any output is written). Non-tensor entries are skipped with a note.
 */
export function stateDictTensors(dict: PyDict, offset: number, limits: ReadLimits, notes: string[]): Map<string, LazyTensor> {
  const out = new Map<string, LazyTensor>();
  let skipped = 0;
  let viewBytes = 0;
  let storedBytes = 0;
  let compressedBytes = 0;
  const seen = new Set<StorageLocation>();
  for (const [key, value] of dict.entries) {
    if (!(value instanceof TorchTensorRef) || typeof key !== 'string') {
      if (skipped++ < 5) notes.push(`skipped state-dict entry ${typeof key === 'string' ? `'${key}'` : describePy(key)}: not a named tensor (${describePy(value)})`);
      continue;
    }
    if (out.size >= limits.maxTensors) throw new FormatError(`more than ${limits.maxTensors} tensors`, offset, 'LIMIT_EXCEEDED');
    const storage = reinterpret(value.storage.resolved(), value);
    const numel = checkView(value.view, storage, limits, key);
    viewBytes += numel * STORED_DTYPE_BYTES[storage.dtype];
    const location = value.storage.resolved();
    if (!seen.has(location)) {
      seen.add(location);
      storedBytes += location.numel * STORED_DTYPE_BYTES[location.dtype];
      if (location.compressed) compressedBytes += location.numel * STORED_DTYPE_BYTES[location.dtype];
    }
    if (viewBytes - storedBytes > limits.maxAliasedBytes) {
      throw new FormatError(`tensors up to '${key}' view ${viewBytes} bytes of storages holding ${storedBytes}: the aliasing exceeds the limit of ${limits.maxAliasedBytes} bytes`, value.storage.pickleOffset, 'LIMIT_EXCEEDED');
    }
    out.set(key, { dtype: value.dtype, shape: value.view.shape, load: (scratch) => readView(value.view, storage, numel, scratch) });
  }
  // Each read of a compressed storage inflates it whole: what that costs is capped by what the
  // tensors need, so a few KB of deflated zeros declaring huge storages behind tiny views is refused.
  if (compressedBytes > viewBytes + limits.maxAliasedBytes) {
    throw new FormatError(`the compressed storages inflate to ${compressedBytes} bytes but the tensors view only ${viewBytes}: the excess exceeds the limit of ${limits.maxAliasedBytes} bytes`, offset, 'LIMIT_EXCEEDED');
  }
  if (skipped > 5) notes.push(`skipped ${skipped - 5} more non-tensor entries`);
  if (out.size === 0) throw new FormatError('the state dict holds no tensors', offset);
  return out;
}
