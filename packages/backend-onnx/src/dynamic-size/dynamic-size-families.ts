import type { CrossFormerConfig, ModelConfig, ModelFamily, SwinV1Config, SwinV2Config } from '@swin/core';
import type { OnnxValue } from '../emit/onnx-graph-emitter.js';
import { crossFormerBlock, crossFormerEmbedding, crossFormerMerge } from './crossformer-dynamic.js';
import type { DynamicModel, TokenMap } from './dynamic-model.js';
import { swinPatchEmbedding, swinV1Block, swinV1Merge, swinV2Block, swinV2Merge } from './swin-dynamic.js';

/**
 * Any value of a key, or the only values the size-generic graph reproduces and why no other value
 * can be reproduced at every size (the refusal says it).
 */
type KeyRule = 'any' | { readonly only: readonly unknown[]; readonly why: string };

/** How one family's size-generic graph is made: its layers over a DynamicModel, and what it supports. */
export interface DynamicSizeFamily<C> {
  /**
   * Every config key the size-generic graph reproduces, with the values it supports. A key that
   * is not listed (an option added to core later) is refused rather than silently ignored.
   */
  readonly keys: Readonly<Record<string, KeyRule>>;
  /** The smallest input side whose every stage map is non-empty. */
  minimumInputSize(config: C): number;
  embed(m: DynamicModel, input: OnnxValue, config: C): TokenMap;
  block(m: DynamicModel, config: C, map: TokenMap, stage: number, block: number): OnnxValue;
  merge(m: DynamicModel, config: C, map: TokenMap, stage: number): TokenMap;
}

/** The given keys, each with any value. */
function anyValueOf(...keys: string[]): Record<string, KeyRule> {
  return Object.fromEntries(keys.map((k) => [k, 'any']));
}

/** Keys every family has, read the same way at any size. */
const MODEL_KEYS = anyValueOf('family', 'img_size', 'patch_size', 'in_chans', 'num_classes', 'embed_dim', 'depths', 'num_heads', 'mlp_ratio', 'qkv_bias', 'patch_norm', 'layer_norm_eps');

const SWIN_COMMON_KEYS: Record<string, KeyRule> = {
  ...MODEL_KEYS,
  window_size: 'any',
  ape: { only: [false], why: 'the absolute position embedding is a grid of the training size' },
  // Either rule is computed per run from H and W (swinWindows).
  window_rule: 'any',
};

/**
 * A Swin family (V1, V2): the common keys plus its own, the shared patch embedding, its block and
 * merge. Swin maps round up (patch embedding and merges pad), so every input of one pixel or more runs.
 */
function swinFamily<C extends SwinV1Config | SwinV2Config>(
  ownKeys: Readonly<Record<string, KeyRule>>,
  block: DynamicSizeFamily<C>['block'],
  merge: (m: DynamicModel, map: TokenMap, stage: number) => TokenMap,
): DynamicSizeFamily<C> {
  return {
    keys: { ...SWIN_COMMON_KEYS, ...ownKeys },
    minimumInputSize: () => 1,
    embed: (m, input, config) => swinPatchEmbedding(m, input, config),
    block,
    merge: (m, _config, map, stage) => merge(m, map, stage),
  };
}

const SWIN_V1 = swinFamily<SwinV1Config>({ qk_scale: 'any' }, swinV1Block, swinV1Merge);
const SWIN_V2 = swinFamily<SwinV2Config>({ pretrained_window_sizes: 'any' }, swinV2Block, swinV2Merge);

const CROSSFORMER: DynamicSizeFamily<CrossFormerConfig> = {
  keys: {
    ...MODEL_KEYS,
    // group_type sizes each block's group from img_size (a constant per block, as core's builder);
    // pad_type, no_mask and adaptive_interval are rules over the run's map; use_acl is a depth-wise
    // convolution and LayerNorm of any map.
    ...anyValueOf('group_size', 'crs_interval', 'qk_scale', 'merge_size', 'group_type', 'pad_type', 'no_mask', 'adaptive_interval', 'use_acl'),
    use_cpe: {
      only: [false],
      why: "the official CPE is a depth-wise convolution over the [B, H, W, C] map read as NCHW, so it has one channel per token row of the stage's map at img_size (weights [rows, 1, 3, 3]) and runs only at the training height",
    },
  },
  // The embedding and every merge floor the map (stride-s convolutions): each stage needs a row.
  // A validated config has at least one patch kernel.
  minimumInputSize: (config) => config.patch_size[0]! * 2 ** (config.depths.length - 1),
  embed: (m, input, config) => crossFormerEmbedding(m, input, config),
  block: crossFormerBlock,
  merge: crossFormerMerge,
};

/** Every family's size-generic graph, by config.family (the compiler asks for a new family's entry). */
export const DYNAMIC_SIZE_FAMILIES: { readonly [F in ModelFamily]: DynamicSizeFamily<Extract<ModelConfig, { family: F }>> } = {
  swin_v1: SWIN_V1,
  swin_v2: SWIN_V2,
  crossformer: CROSSFORMER,
};
