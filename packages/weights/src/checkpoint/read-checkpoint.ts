import type { TensorData } from '@swin/core';
import { materialize } from '../tensors/lazy-tensor.js';
import type { CheckpointFormat, ReadOptions } from './checkpoint.js';
import { openCheckpoint } from './open-checkpoint.js';

/** A checkpoint read whole: tensors under their names in the file (not yet mapped to a scheme). */
export interface CheckpointContents {
  readonly format: CheckpointFormat;
  readonly tensors: Map<string, TensorData>;
  readonly metadata: Readonly<Record<string, string>>;
  readonly wrappers: readonly string[];
  readonly notes: readonly string[];
}

/** Reads every tensor of a checkpoint held in memory (browser-safe). Executes nothing from the file. */
export function readCheckpoint(bytes: Uint8Array, options: ReadOptions = {}): CheckpointContents {
  const c = openCheckpoint(bytes, options);
  return { format: c.format, tensors: materialize(c.tensors), metadata: c.metadata, wrappers: c.wrappers, notes: c.notes };
}
