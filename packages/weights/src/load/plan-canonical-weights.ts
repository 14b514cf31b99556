import { ConfigError, detectFamily, getModelFamily, inferModelConfig, isDerivedBuffer, type ModelConfig, type ModelFamily, type TensorData } from '@swin/core';
import { adaptWeights } from '../adapt/adapt-weights.js';
import { checkAdaptable, targetConfig, type AdaptOptions } from '../adapt/target-config.js';
import type { Checkpoint, CheckpointFormat } from '../checkpoint/checkpoint.js';
import { imageSizeFromAttnMask } from '../derived/image-size-from-mask.js';
import { verifyDerivedBuffers } from '../derived/verify-derived-buffers.js';
import { checkLayerIndices } from '../schemes/check-layer-indices.js';
import { mapToCanonical } from '../schemes/map-to-canonical.js';
import type { NamingScheme } from '../schemes/naming-scheme.js';
import type { LazyTensor } from '../tensors/lazy-tensor.js';
import { reconcileDeclaredConfig, type DeclaredConfig } from './declared-config.js';

/** How to interpret and adapt a checkpoint. */
export interface PlanOptions extends AdaptOptions {
  /** Architecture facts the weights cannot tell (official argument names: img_size, qk_scale, ...); they win over inference. */
  readonly config?: Record<string, unknown>;
  /** Skip scheme detection. */
  readonly scheme?: NamingScheme;
  /**
   * What a file beside the weights declares (a Hugging Face config.json, see parseHuggingFaceConfig):
   * checked against the weights where they show it (a disagreement is a ConfigError naming the key),
   * used where they cannot; `config` still wins over it.
   */
  readonly declared?: DeclaredConfig;
}

/** What planning found out about a checkpoint: how it was named, its family and architecture, what was dropped. */
export interface CheckpointFindings {
  readonly scheme: NamingScheme;
  /** Why that scheme was chosen (the name that gave it away). */
  readonly schemeReason: string;
  readonly family: ModelFamily;
  /** The architecture of the result, of its family (after adaptation). */
  readonly config: ModelConfig;
  readonly wrappers: readonly string[];
  /** Derived buffers that were checked (or not) and dropped. */
  readonly droppedBuffers: readonly string[];
  readonly warnings: readonly string[];
}

/** The findings of a plan, alone (for results that report them next to their own facts). */
export function checkpointFindings(plan: CheckpointFindings): CheckpointFindings {
  const { scheme, schemeReason, family, config, wrappers, droppedBuffers, warnings } = plan;
  return { scheme, schemeReason, family, config, wrappers, droppedBuffers, warnings };
}

/** A checkpoint resolved to canonical, validated, adapted tensors, still lazy. */
export interface CanonicalPlan extends CheckpointFindings {
  /** Canonical name to tensor, in the official state_dict order; derived buffers removed. */
  readonly tensors: Map<string, LazyTensor>;
  readonly format: CheckpointFormat | 'in-memory';
  /** The input file's metadata (safetensors __metadata__). */
  readonly sourceMetadata: Readonly<Record<string, string>>;
}

/** The architecture a converted file records (our writer's `config` metadata), for the detected family. */
function metadataConfig(metadata: Readonly<Record<string, string>>, family: ModelFamily, warnings: string[]): Record<string, unknown> {
  const text = metadata['config'];
  if (text === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    const all = parsed as Record<string, unknown>;
    if (all['family'] !== undefined && all['family'] !== family) throw new Error(`it describes ${JSON.stringify(all['family'])} but the weights are ${family}`);
    // The keys the family's weights cannot reveal; the rest is re-inferred (and so checked).
    const keys = getModelFamily(family).checkpoint.metadataKeys ?? Object.keys(all).filter((k) => k !== 'family');
    return Object.fromEntries(keys.filter((k) => k in all).map((k) => [k, all[k]]));
  } catch (e) {
    warnings.push(`metadata 'config' ignored: ${(e as Error).message}`);
    return {};
  }
}

/**
 * What core's config inference reads: names and shapes of parameters (their data is never looked
 * at, so none is loaded) and the derived buffers with their data (small; Swin V2's pretrained
 * window is only visible in the values of its relative_coords_table).
 */
function inferenceView(tensors: ReadonlyMap<string, LazyTensor>): Map<string, TensorData> {
  const out = new Map<string, TensorData>();
  for (const [n, t] of tensors) out.set(n, isDerivedBuffer(n) ? t.load() : { dtype: 'float32', shape: t.shape, data: new Float32Array(0) });
  return out;
}

/**
 * The whole interpretation pipeline, shared by loading and streaming conversion: detect the scheme
 * and rename; tell the family and infer the architecture; verify and drop derived buffers; adapt
 * (window, size, head) and validate every shape. Only derived buffers are read here.
 */
export function planCanonicalWeights(checkpoint: Checkpoint | (Omit<Checkpoint, 'format'> & { format: 'in-memory' }), options: PlanOptions = {}): CanonicalPlan {
  const warnings: string[] = [...checkpoint.notes];
  const mapping = mapToCanonical(checkpoint.tensors, options.scheme);
  warnings.push(...mapping.notes);
  checkLayerIndices([...mapping.tensors.keys()]);
  // Derived buffers stay in view for inference: some tell what parameters cannot (a Swin V2 window
  // is visible only in its relative_position_index).
  const shapes = inferenceView(mapping.tensors);
  const family = detectFamily(shapes);
  const rules = getModelFamily(family).checkpoint;
  checkAdaptable(family, options);
  const fromFile = metadataConfig(checkpoint.metadata, family, warnings);
  // What the scheme implies, for the keys the family has (file metadata and the caller win over it).
  const defaults: object = getModelFamily(family).defaults;
  const fromScheme = Object.fromEntries(Object.entries(mapping.config).filter(([k]) => k in defaults));
  warnings.push(...(options.declared?.notes ?? []));
  const declared = options.declared ? reconcileDeclaredConfig(shapes, family, options.declared, { ...fromScheme, ...fromFile }, options.config ?? {}) : {};
  const overrides: Record<string, unknown> = { ...fromScheme, ...fromFile, ...declared, ...options.config };
  // Stored shift masks tell the training size, which bias tables do not.
  if (rules.windowGrid && overrides['img_size'] === undefined) {
    const patch = mapping.tensors.get('patch_embed.proj.weight')?.shape[2] ?? 4;
    const fromMask = imageSizeFromAttnMask(mapping.tensors, patch);
    if (fromMask) overrides['img_size'] = fromMask.size[0] === fromMask.size[1] ? fromMask.size[0] : fromMask.size;
  }
  let source: ModelConfig;
  try {
    source = inferModelConfig(shapes, { family, ...overrides });
  } catch (e) {
    // A file's own metadata must not make an otherwise readable checkpoint unloadable.
    if (!(e instanceof ConfigError) || Object.keys(fromFile).length === 0) throw e;
    warnings.push(`metadata 'config' ignored: ${e.message}`);
    source = inferModelConfig(shapes, { family, ...fromScheme, ...declared, ...options.config });
  }
  const derived = verifyDerivedBuffers(mapping.tensors, rules.windowGrid?.(source) ?? null);
  warnings.push(...derived.warnings);
  const config = targetConfig(source, options, warnings);
  const tensors = adaptWeights(derived.tensors, source, config, warnings);
  return {
    tensors,
    format: checkpoint.format,
    scheme: mapping.scheme,
    schemeReason: mapping.reason,
    family,
    config,
    wrappers: checkpoint.wrappers,
    droppedBuffers: derived.dropped,
    warnings,
    sourceMetadata: checkpoint.metadata,
  };
}
