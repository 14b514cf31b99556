import type { ReadLimits } from '../limits.js';
import type { LazyTensor } from '../tensors/lazy-tensor.js';
import type { Crc32Function } from '../bytes/crc32.js';
import type { InflateRaw } from '../zip/zip-archive.js';

/** The container formats we read. */
export type CheckpointFormat = 'pytorch-zip' | 'pytorch-legacy' | 'safetensors';

/** A checkpoint opened for reading: its state-dict tensors, not yet loaded. */
export interface Checkpoint {
  readonly format: CheckpointFormat;
  /** State-dict tensors by name (wrappers and `module.` prefixes removed), in file order. */
  readonly tensors: ReadonlyMap<string, LazyTensor>;
  /** safetensors `__metadata__` (string to string); empty for .pth files. */
  readonly metadata: Readonly<Record<string, string>>;
  /** How the state dict was reached: e.g. ["model"] for {'model': ...}, ["state_dict", "module."]. */
  readonly wrappers: readonly string[];
  /** Things worth telling a user (non-tensor entries skipped, float64 narrowed...). */
  readonly notes: readonly string[];
}

/** Options every reader takes. */
export interface ReadOptions {
  readonly limits?: Partial<ReadLimits>;
  /** Check zip CRC-32s (of data.pkl, and of each storage read whole). Default true. */
  readonly verifyChecksums?: boolean;
  /** Inflater for deflate-compressed zip entries (the Node entry supplies zlib's). */
  readonly inflateRaw?: InflateRaw;
  /** A faster CRC-32 (the Node entry supplies zlib's). */
  readonly crc32?: Crc32Function;
}
