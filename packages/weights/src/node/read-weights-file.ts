import { isDerivedBuffer, shapeSize, type DType } from '@swin/core';
import type { CheckpointFormat, ReadOptions } from '../checkpoint/checkpoint.js';
import { openCheckpoint } from '../checkpoint/open-checkpoint.js';
import type { CheckpointContents } from '../checkpoint/read-checkpoint.js';
import { loadedDType, type StoredDType } from '../dtypes/stored-dtype.js';
import { loadCheckpointWeights, type LoadedWeights, type LoadOptions } from '../load/load-weights.js';
import { checkpointFindings, planCanonicalWeights, type CheckpointFindings, type PlanOptions } from '../load/plan-canonical-weights.js';
import { materialize } from '../tensors/lazy-tensor.js';
import { scanNonFinite, type NonFiniteReport } from '../tensors/non-finite.js';
import { openFileByteSource } from './file-byte-source.js';
import { nodeCrc32, nodeInflateRaw } from './node-codecs.js';

function withCodecs<T extends ReadOptions>(options: T): T {
  return { inflateRaw: nodeInflateRaw, crc32: nodeCrc32, ...options };
}

/** Loads a checkpoint file of any supported format into canonical weights (what `--weights` accepts). */
export function readWeightsFile(path: string, options: LoadOptions = {}): LoadedWeights {
  const source = openFileByteSource(path);
  try {
    return loadCheckpointWeights(openCheckpoint(source, withCodecs(options)), options);
  } finally {
    source.close();
  }
}

/** Reads every tensor of a checkpoint file under its names in the file (no scheme mapping). */
export function readCheckpointFile(path: string, options: ReadOptions = {}): CheckpointContents {
  const source = openFileByteSource(path);
  try {
    const c = openCheckpoint(source, withCodecs(options));
    return { format: c.format, tensors: materialize(c.tensors), metadata: c.metadata, wrappers: c.wrappers, notes: c.notes };
  } finally {
    source.close();
  }
}

/**
 * Counts the NaN and infinite values of every float tensor of a checkpoint file, streaming: one
 * tensor in memory at a time (what `swin info` reports; loading refuses such weights).
 */
export function scanNonFiniteFile(path: string, options: ReadOptions = {}): NonFiniteReport {
  const source = openFileByteSource(path);
  try {
    return scanNonFinite(openCheckpoint(source, withCodecs(options)).tensors);
  } finally {
    source.close();
  }
}

/** A description of a checkpoint file for `swin info`, read without loading the weights. */
export interface CheckpointInfo extends CheckpointFindings {
  readonly path: string;
  readonly fileBytes: number;
  readonly format: CheckpointFormat;
  /** Tensors in the file (derived buffers included), and by stored dtype. */
  readonly tensorCount: number;
  readonly dtypes: Readonly<Partial<Record<StoredDType, number>>>;
  /** Elements of the canonical weights (the model's parameter count). */
  readonly parameterCount: number;
  /** Canonical weights (derived buffers dropped), and the dtypes they load as, in state_dict order of first use. */
  readonly weightCount: number;
  readonly weightDTypes: readonly DType[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** Describes a checkpoint file: format, naming scheme, architecture, sizes. Reads only headers and derived buffers. */
export function inspectCheckpointFile(path: string, options: PlanOptions & ReadOptions = {}): CheckpointInfo {
  const source = openFileByteSource(path);
  try {
    const checkpoint = openCheckpoint(source, withCodecs(options));
    const plan = planCanonicalWeights(checkpoint, options);
    const dtypes: Partial<Record<StoredDType, number>> = {};
    for (const t of checkpoint.tensors.values()) dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + 1;
    let parameterCount = 0;
    const weightDTypes = new Set<DType>();
    for (const [n, t] of plan.tensors) {
      if (isDerivedBuffer(n)) continue;
      parameterCount += shapeSize(t.shape);
      weightDTypes.add(loadedDType(t.dtype));
    }
    return {
      path,
      fileBytes: source.byteLength,
      format: checkpoint.format,
      ...checkpointFindings(plan),
      tensorCount: checkpoint.tensors.size,
      dtypes,
      parameterCount,
      weightCount: plan.tensors.size,
      weightDTypes: [...weightDTypes],
      metadata: checkpoint.metadata,
    };
  } finally {
    source.close();
  }
}
