import type { Graph } from '../graph/graph.js';
import type { TensorData } from '../tensor/tensor.js';
import type { ModelOutputSpec } from './common/model-output-spec.js';
import type { HuggingFaceNames } from './huggingface-names.js';
import type { WeightMap } from './weight-map.js';

/** How to build a model of any family: input size (default the config's img_size), nominal batch, outputs. */
export interface BuildModelOptions {
  readonly inputSize?: readonly [number, number];
  readonly batch?: number;
  /** logits | pooled | stages | all | names (embed, stage{i}, stage{i}_out, stage{i}_block{j}, norm_out, pooled, logits). */
  readonly outputs?: ModelOutputSpec;
}

/** A built model of a family with config C and per-block geometry G: the graph (input 'input', NCHW float32) and what was resolved building it. */
export interface FamilyModel<C, G> {
  readonly graph: Graph;
  readonly config: C;
  readonly inputSize: [number, number];
  /** Per block, the family's geometry (window/shift for Swin, grouping for CrossFormer). */
  readonly blocks: readonly G[];
  readonly parameterCount: number;
  /** Weights the graph did not use (derived buffers excluded): usually a sign of a wrong config. */
  readonly unusedWeights: readonly string[];
}

/** A change of architecture asked of a checkpoint (`swin convert --window/--img-size/--num-classes`); anything left out stays. */
export interface ConfigAdaptation {
  /** New window (e.g. 12 to fine-tune a 224/w7 model at 384/w12): bias tables are resized. */
  readonly windowSize?: number;
  /** New training resolution: the absolute position embedding (if any) is resized. */
  readonly imgSize?: number | readonly [number, number];
  /** New head size; 0 drops the head. A different size gets a zero-initialised head (the official loader's rule). */
  readonly numClasses?: number;
}

/**
 * The token grid a family's official checkpoints are laid out on, for families of square windows
 * over a single-convolution patch embedding: stored attn_mask buffers are shift masks on it, and
 * position tables (bias tables, absolute position embedding) are resized on it.
 */
export interface WindowGrid {
  readonly imageSize: [number, number];
  readonly patchSize: number;
  readonly stages: number;
  readonly window: number;
}

/** What reading a checkpoint needs to know about a family beyond its weight names and shapes. */
export interface FamilyCheckpointRules<C> {
  /**
   * Keys of a converted file's `config` metadata that are trusted as they are: the ones its weights
   * cannot reveal. Every other key is re-inferred from the weights (and so checked). Undefined: every key.
   */
  readonly metadataKeys?: readonly string[];
  /**
   * The window grid of a config (see WindowGrid): a stored attn_mask then reveals the training size
   * and is verified against the recomputed one. Undefined: stored masks are dropped unread.
   */
  windowGrid?(config: C): WindowGrid;
  /**
   * The config after a change of window, size or head; the loader then resizes the relative
   * position bias tables and the absolute position embedding (bicubic) on the windowGrid, which a
   * family with this rule must have. Undefined: adaptation is refused.
   */
  adapt?(source: C, change: ConfigAdaptation, notes: string[]): C;
  /** Its names in Hugging Face transformers checkpoints. Undefined: transformers has no such model. */
  readonly huggingface?: HuggingFaceNames;
}

/**
 * Everything core, @swin/weights, @swin/variants and the apps need to know about one model family
 * C (its config type, told apart by `family`) with block geometry G. One object per family folder
 * (models/swin-v1, models/swin-v2, models/crossformer), registered once in model-families.ts;
 * nothing outside a family folder tests a family's name.
 */
export interface ModelFamilyDescriptor<C extends { readonly family: string }, G> {
  /** The value of config.family. */
  readonly id: C['family'];
  /** For people: "Swin V1". */
  readonly name: string;
  /** The official constructor's defaults. */
  readonly defaults: C;
  /** Checks a full config; errors name the key, what was expected and what was found. */
  validate(config: C): C;
  /** A user's partial config (official argument names) over a base; unknown keys are refused by name. */
  merge(base: C, overrides: Record<string, unknown>): C;
  /** img_size as [H, W]. */
  imageSize(config: C): [number, number];
  /** The canonical weight names that give the family away, for error messages. */
  readonly signature: string;
  /** True when canonical weights are this family's (families' signatures are disjoint). */
  recognises(weights: WeightMap): boolean;
  /** The full config from canonical weights (only names and shapes are read, plus derived buffers); `overrides` win. */
  infer(weights: WeightMap, overrides: Record<string, unknown>): C;
  /** Canonical parameter names and shapes, in the official state_dict order, derived buffers excluded. */
  weightShapes(config: C): [string, number[]][];
  /** Seeded random weights drawn like the reference fixtures' randomized init. */
  randomWeights(config: C, seed: number): Map<string, TensorData>;
  /** The graph in the official semantics; outputs keep the same names across families. */
  build(config: C, weights: WeightMap, options?: BuildModelOptions): FamilyModel<C, G>;
  readonly checkpoint: FamilyCheckpointRules<C>;
  /** Variant names: `${prefix}...` (@swin/variants lists them), e.g. "swin-t". */
  readonly variants: { readonly prefix: string; readonly example: string };
}
