import type { ModelConfig, ModelFamily, TensorData } from '@swin/core';
import type { ByteSource } from '../bytes/byte-source.js';
import type { Checkpoint, CheckpointFormat, ReadOptions } from '../checkpoint/checkpoint.js';
import { openCheckpoint } from '../checkpoint/open-checkpoint.js';
import type { NamingScheme } from '../schemes/naming-scheme.js';
import { eagerTensor, materialize } from '../tensors/lazy-tensor.js';
import { planCanonicalWeights, type PlanOptions } from './plan-canonical-weights.js';

/** Options of loadWeights: reading limits plus interpretation and adaptation. */
export interface LoadOptions extends PlanOptions, ReadOptions {}

/** Weights ready for buildSwinGraph: canonical names, derived buffers dropped, with what was found. */
export interface LoadedWeights {
  readonly weights: Map<string, TensorData>;
  /** The architecture, of the checkpoint's family: inferred from the weights, the file's metadata and the caller's overrides (after adaptation). */
  readonly config: ModelConfig;
  readonly family: ModelFamily;
  readonly scheme: NamingScheme;
  readonly schemeReason: string;
  readonly format: CheckpointFormat | 'in-memory';
  readonly wrappers: readonly string[];
  readonly droppedBuffers: readonly string[];
  readonly warnings: readonly string[];
  /** The source file's metadata (safetensors __metadata__). */
  readonly metadata: Readonly<Record<string, string>>;
}

function isCheckpoint(x: unknown): x is Checkpoint {
  return typeof x === 'object' && x !== null && 'format' in x && 'tensors' in x && 'wrappers' in x;
}

/**
 * Loads weights from any supported checkpoint (bytes, a ByteSource, an opened Checkpoint, or tensors
 * already in memory under any scheme's names) into canonical, validated form. Browser-safe.
 */
export function loadWeights(input: Uint8Array | ByteSource | Checkpoint | ReadonlyMap<string, TensorData>, options: LoadOptions = {}): LoadedWeights {
  let checkpoint: Checkpoint | (Omit<Checkpoint, 'format'> & { format: 'in-memory' });
  if (input instanceof Map) {
    const tensors = new Map([...(input as ReadonlyMap<string, TensorData>)].map(([n, t]) => [n, eagerTensor(t)]));
    checkpoint = { format: 'in-memory', tensors, metadata: {}, wrappers: [], notes: [] };
  } else if (isCheckpoint(input)) {
    checkpoint = input;
  } else {
    checkpoint = openCheckpoint(input as Uint8Array | ByteSource, options);
  }
  const plan = planCanonicalWeights(checkpoint, options);
  return {
    weights: materialize(plan.tensors),
    config: plan.config,
    family: plan.family,
    scheme: plan.scheme,
    schemeReason: plan.schemeReason,
    format: plan.format,
    wrappers: plan.wrappers,
    droppedBuffers: plan.droppedBuffers,
    warnings: plan.warnings,
    metadata: plan.sourceMetadata,
  };
}
