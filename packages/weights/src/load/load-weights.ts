import { tensor, type ModelConfig, type ModelFamily, type TensorData } from '@swin/core';
import type { ByteSource } from '../bytes/byte-source.js';
import type { Checkpoint, CheckpointFormat, ReadOptions } from '../checkpoint/checkpoint.js';
import { openCheckpoint } from '../checkpoint/open-checkpoint.js';
import type { NamingScheme } from '../schemes/naming-scheme.js';
import { float16ToFloat32Array } from '../dtypes/encode-output.js';
import { eagerTensor, type LazyTensor } from '../tensors/lazy-tensor.js';
import { NonFiniteTally } from '../tensors/non-finite.js';
import { planCanonicalWeights, type PlanOptions } from './plan-canonical-weights.js';

/** Interpretation and adaptation, plus what loading for running checks. */
export interface PlannedLoadOptions extends PlanOptions {
  /**
   * Load weights holding NaN or infinity (default false: a typed NON_FINITE_WEIGHT error naming the
   * first tensors, since every output would be NaN). For inspecting a broken checkpoint.
   */
  readonly allowNonFinite?: boolean;
}

/** Options of loadWeights: reading limits plus interpretation and adaptation. */
export interface LoadOptions extends PlannedLoadOptions, ReadOptions {}

/**
 * Loads every canonical tensor for running: float16 is widened to float32 (exactly), as bfloat16
 * already is when decoded, because every backend computes in float32 and graph ops require one
 * dtype; non-finite values are tallied and refused unless allowed.
 */
function loadForRunning(tensors: ReadonlyMap<string, LazyTensor>, allowNonFinite: boolean | undefined): Map<string, TensorData> {
  const out = new Map<string, TensorData>();
  const tally = new NonFiniteTally();
  for (const [name, t] of tensors) {
    let d = t.load();
    tally.add(name, d);
    if (d.dtype === 'float16') d = tensor('float32', d.shape, float16ToFloat32Array(d.data as Uint16Array));
    out.set(name, d);
  }
  tally.refuse(allowNonFinite);
  return out;
}

/** Weights ready for buildSwinV1Graph: canonical names, derived buffers dropped, with what was found. */
export interface LoadedWeights {
  /** Canonical tensors; floats are float32 (float16 and bfloat16 files widened exactly), never NaN or infinite unless allowNonFinite. */
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

/**
 * Loads weights from the bytes of any supported checkpoint file (in memory, or a ByteSource reading
 * by offset) into canonical, validated form. Browser-safe. An opened Checkpoint goes to
 * loadCheckpointWeights, tensors already in memory to loadTensorWeights.
 */
export function loadWeights(file: Uint8Array | ByteSource, options: LoadOptions = {}): LoadedWeights {
  return loadCheckpointWeights(openCheckpoint(file, options), options);
}

/** Loads weights from tensors already in memory, under any scheme's names (a state dict read elsewhere). */
export function loadTensorWeights(tensors: ReadonlyMap<string, TensorData>, options: PlannedLoadOptions = {}): LoadedWeights {
  const lazy = new Map([...tensors].map(([n, t]) => [n, eagerTensor(t)]));
  return loadPlanned({ format: 'in-memory', tensors: lazy, metadata: {}, wrappers: [], notes: [] }, options);
}

/** Loads weights from an opened checkpoint (openCheckpoint), reading only the tensors the model keeps. */
export function loadCheckpointWeights(checkpoint: Checkpoint, options: PlannedLoadOptions = {}): LoadedWeights {
  return loadPlanned(checkpoint, options);
}

function loadPlanned(checkpoint: Parameters<typeof planCanonicalWeights>[0], options: PlannedLoadOptions): LoadedWeights {
  const plan = planCanonicalWeights(checkpoint, options);
  return {
    weights: loadForRunning(plan.tensors, options.allowNonFinite),
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
