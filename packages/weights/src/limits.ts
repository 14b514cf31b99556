import { DEFAULT_MAX_PICKLE_OBJECTS } from './pickle/safe-unpickler.js';

/**
 * Bounds applied to every length or count a file declares, checked before anything is allocated,
 * so a corrupt or hostile file cannot make the reader allocate without limit. Each is far above
 * what a real checkpoint needs (a Swin-L data.pkl is ~100 KB, a safetensors header ~60 KB).
 */
export interface ReadLimits {
  /** Largest pickle stream (data.pkl, or the object pickle of a legacy file) we read. */
  readonly maxPickleBytes: number;
  /** Most values the unpickler may create (stack pushes, marks and memo entries): bounds the memory of a pickle bomb. */
  readonly maxPickleObjects: number;
  /** Largest safetensors JSON header (the safetensors library's own limit is 100 MB). */
  readonly maxSafetensorsHeaderBytes: number;
  /** Most entries a zip central directory may declare. */
  readonly maxZipEntries: number;
  /** Most tensors one checkpoint may hold. */
  readonly maxTensors: number;
  /** Most dimensions of one tensor. */
  readonly maxDims: number;
  /** Largest decoded tensor, in bytes (also caps an inflated zip entry). */
  readonly maxTensorBytes: number;
  /**
   * Most bytes all tensors together may hold beyond the bytes of the storages they view. Views that
   * share a storage (or broadcast it with stride 0) are how a small file could ask for a huge
   * allocation: 10,000 names for one 100 MB storage. Real checkpoints alias a little (Hugging Face
   * query/key/value slicing one qkv), far below this.
   */
  readonly maxAliasedBytes: number;
}

/** The limits used unless a caller passes others. */
export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxPickleBytes: 64 * 1024 * 1024,
  maxPickleObjects: DEFAULT_MAX_PICKLE_OBJECTS,
  maxSafetensorsHeaderBytes: 100 * 1000 * 1000,
  maxZipEntries: 1_000_000,
  maxTensors: 1_000_000,
  maxDims: 16,
  maxTensorBytes: 2 ** 31 - 1,
  maxAliasedBytes: 256 * 1024 * 1024,
};

/** Fills unspecified limits with the defaults. */
export function resolveLimits(partial: Partial<ReadLimits> | undefined): ReadLimits {
  return { ...DEFAULT_READ_LIMITS, ...partial };
}
