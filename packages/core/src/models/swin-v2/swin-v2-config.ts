import { failConfig, imageSizeOf, mergeKnownKeys } from '../common/config-checks.js';
import { SWIN_COMMON_DEFAULTS, validateLayerNormEps, validateSwinCommon, type SwinCommonConfig } from '../common/swin-common-config.js';

/**
 * Swin Transformer V2 architecture (models/swin_transformer_v2.py: SwinTransformerV2): the shared
 * Swin arguments (qkv_bias meaning q and v biases) plus the pretrained windows.
 */
export interface SwinV2Config extends SwinCommonConfig {
  readonly family: 'swin_v2';
  /**
   * Per stage, the window the model was pretrained with (0 = none): the position-bias MLP's
   * coordinates are normalised by it instead of by the block's window, so a fine-tuned larger
   * window sees the coordinate range it was trained on plus a log-spaced extrapolation.
   */
  readonly pretrained_window_sizes: readonly number[];
}

/** The official constructor's defaults (its img_size 224 / window 7; the released V2 models use 256 with 8 or 16). */
export const SWIN_V2_DEFAULTS: SwinV2Config = {
  family: 'swin_v2',
  ...SWIN_COMMON_DEFAULTS,
  qkv_bias: true,
  ape: false,
  patch_norm: true,
  pretrained_window_sizes: [0, 0, 0, 0],
  layer_norm_eps: 1e-5,
  window_rule: 'official',
};

// Constructor arguments that change nothing at inference: accepted and ignored.
const INFERENCE_IRRELEVANT = new Set(['drop_rate', 'attn_drop_rate', 'drop_path_rate', 'norm_layer', 'use_checkpoint']);

/** Checks a full config; errors name the key, what was expected and what was found. */
export function validateSwinV2Config(c: SwinV2Config): SwinV2Config {
  if (c.family !== 'swin_v2') failConfig('family', '"swin_v2"', c.family);
  validateSwinCommon(c);
  const n = c.depths.length;
  for (const key of ['qkv_bias', 'ape', 'patch_norm'] as const) if (typeof c[key] !== 'boolean') failConfig(key, 'a boolean', c[key]);
  // A pretrained window of 1 would divide by zero (window - 1); 0 means "not pretrained at another window".
  const pws = c.pretrained_window_sizes;
  if (!Array.isArray(pws) || pws.length !== n || !pws.every((p) => p === 0 || (Number.isInteger(p) && p >= 2))) {
    failConfig('pretrained_window_sizes', `a list of ${n} values, each 0 or an integer >= 2 (one per stage)`, pws);
  }
  validateLayerNormEps(c);
  return c;
}

/**
 * Applies a user's partial config (official argument names, optional "family") over a base, refusing
 * unknown keys. When `depths` changes length and `pretrained_window_sizes` is not given, it becomes
 * zeros of the new length (the official default is [0, 0, 0, 0]).
 */
export function mergeSwinV2Config(base: SwinV2Config, overrides: Record<string, unknown>): SwinV2Config {
  const out = mergeKnownKeys(base, overrides, INFERENCE_IRRELEVANT);
  const depths = out['depths'];
  if (!('pretrained_window_sizes' in overrides) && Array.isArray(depths) && (out['pretrained_window_sizes'] as unknown[]).length !== depths.length) {
    out['pretrained_window_sizes'] = depths.map(() => 0);
  }
  return validateSwinV2Config(out as unknown as SwinV2Config);
}

/** img_size as [H, W]. */
export function swinV2ImageSize(c: SwinV2Config): [number, number] {
  return imageSizeOf(c.img_size);
}
