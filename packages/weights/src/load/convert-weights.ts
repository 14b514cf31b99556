import type { ByteSource } from '../bytes/byte-source.js';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { openCheckpoint } from '../checkpoint/open-checkpoint.js';
import type { OutputDType } from '../dtypes/encode-output.js';
import { writeSafetensors } from '../safetensors/safetensors-writer.js';
import { materialize } from '../tensors/lazy-tensor.js';
import { NonFiniteTally } from '../tensors/non-finite.js';
import type { LoadOptions } from './load-weights.js';
import { outputMetadata } from './output-metadata.js';
import { outputTensors, type OutputScheme } from './output-schemes.js';
import { planCanonicalWeights, type CanonicalPlan } from './plan-canonical-weights.js';

/** Conversion options: loading options plus the output dtype and naming scheme. */
export interface ConvertOptions extends LoadOptions {
  readonly dtype?: OutputDType;
  /** Names of the written tensors (default 'official', the canonical ones); see OUTPUT_SCHEMES. */
  readonly outputScheme?: OutputScheme;
  /** Class names to record as the `classes` metadata (a Hugging Face folder's id2label); one per head row. */
  readonly classes?: readonly string[];
}

/** Converts a checkpoint in memory to a canonical safetensors file (browser-safe; Node streams with convertCheckpointFile). */
export function convertWeights(input: Uint8Array | ByteSource | Checkpoint, options: ConvertOptions = {}): { bytes: Uint8Array; plan: CanonicalPlan } {
  const checkpoint = 'format' in input && 'wrappers' in input ? input : openCheckpoint(input as Uint8Array | ByteSource, options);
  const plan = planCanonicalWeights(checkpoint, options);
  const dtype = options.dtype ?? 'float32';
  const tensors = materialize(outputTensors(plan, options.outputScheme));
  const nonFinite = new NonFiniteTally();
  for (const [name, t] of tensors) nonFinite.add(name, t);
  nonFinite.refuse(options.allowNonFinite);
  return { bytes: writeSafetensors(tensors, outputMetadata(plan, dtype, options.outputScheme, options.classes), dtype), plan };
}
