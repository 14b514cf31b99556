import type { CrossFormerConfig, ModelConfig, ModelFamily, SwinV1Config, SwinV2Config } from '@swin/core';
import type { OnnxValue } from '../emit/onnx-graph-emitter.js';
import { crossFormerBlock, crossFormerEmbedding, crossFormerMerge } from './crossformer-dynamic.js';
import type { DynamicModel, TokenMap } from './dynamic-model.js';
import { swinPatchEmbedding, swinV1Block, swinV1Merge, swinV2Block, swinV2Merge } from './swin-dynamic.js';

/** Any value of a key, or the only values the size-generic graph reproduces. */
type KeyRule = 'any' | readonly unknown[];

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

const SWIN_COMMON_KEYS = {
  family: 'any',
  img_size: 'any',
  patch_size: 'any',
  in_chans: 'any',
  num_classes: 'any',
  embed_dim: 'any',
  depths: 'any',
  num_heads: 'any',
  window_size: 'any',
  mlp_ratio: 'any',
  qkv_bias: 'any',
  // The absolute position embedding is a grid of the training size: it cannot follow the input.
  ape: [false],
  patch_norm: 'any',
  layer_norm_eps: 'any',
} as const satisfies Record<string, KeyRule>;

/** Swin maps round up (patch embedding and merges pad), so every input of at least one pixel runs. */
const ANY_SIZE = () => 1;

const SWIN_V1: DynamicSizeFamily<SwinV1Config> = {
  keys: { ...SWIN_COMMON_KEYS, qk_scale: 'any' },
  minimumInputSize: ANY_SIZE,
  embed: (m, input, config) => swinPatchEmbedding(m, input, config),
  block: swinV1Block,
  merge: (m, _config, map, stage) => swinV1Merge(m, map, stage),
};

const SWIN_V2: DynamicSizeFamily<SwinV2Config> = {
  keys: { ...SWIN_COMMON_KEYS, pretrained_window_sizes: 'any' },
  minimumInputSize: ANY_SIZE,
  embed: (m, input, config) => swinPatchEmbedding(m, input, config),
  block: swinV2Block,
  merge: (m, _config, map, stage) => swinV2Merge(m, map, stage),
};

const CROSSFORMER: DynamicSizeFamily<CrossFormerConfig> = {
  keys: {
    family: 'any',
    img_size: 'any',
    patch_size: 'any',
    in_chans: 'any',
    num_classes: 'any',
    embed_dim: 'any',
    depths: 'any',
    num_heads: 'any',
    group_size: 'any',
    crs_interval: 'any',
    mlp_ratio: 'any',
    qkv_bias: 'any',
    qk_scale: 'any',
    patch_norm: 'any',
    merge_size: 'any',
    layer_norm_eps: 'any',
    // CrossFormer++ options at the original CrossFormer's values (the only ones reproduced here).
    group_type: ['constant'],
    use_cpe: [false],
    pad_type: [0],
    no_mask: [false],
    adaptive_interval: [false],
    use_acl: [false],
  },
  // The embedding and every merge floor the map (stride-s convolutions): each stage needs a row.
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
