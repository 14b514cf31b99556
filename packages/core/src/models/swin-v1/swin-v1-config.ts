import { failConfig, imageSizeOf, mergeKnownKeys } from '../common/config-checks.js';
import { SWIN_COMMON_DEFAULTS, validateLayerNormEps, validateSwinCommon, type SwinCommonConfig } from '../common/swin-common-config.js';

/** Swin V1 architecture: the shared Swin arguments plus qk_scale. */
export interface SwinV1Config extends SwinCommonConfig {
  readonly family: 'swin_v1';
  /** Overrides head_dim^-0.5 when set. */
  readonly qk_scale: number | null;
}

/** The official constructor's defaults (Swin-T at 224). */
export const SWIN_V1_DEFAULTS: SwinV1Config = {
  family: 'swin_v1',
  ...SWIN_COMMON_DEFAULTS,
  qkv_bias: true,
  qk_scale: null,
  ape: false,
  patch_norm: true,
  layer_norm_eps: 1e-5,
  window_rule: 'official',
};

// Constructor arguments that change nothing at inference: accepted and ignored.
const INFERENCE_IRRELEVANT = new Set(['drop_rate', 'attn_drop_rate', 'drop_path_rate', 'norm_layer', 'use_checkpoint', 'fused_window_process']);

/** True for a Swin V1 config (the web demo's window explainer, for one, covers only this family). */
export function isSwinV1Config(c: { readonly family: string }): c is SwinV1Config {
  return c.family === SWIN_V1_DEFAULTS.family;
}

/** Checks a full config; errors name the key, what was expected and what was found. */
export function validateSwinV1Config(c: SwinV1Config): SwinV1Config {
  if (!isSwinV1Config(c)) failConfig('family', '"swin_v1"', (c as { family?: unknown }).family);
  validateSwinCommon(c);
  if (typeof c.qkv_bias !== 'boolean') failConfig('qkv_bias', 'a boolean', c.qkv_bias);
  if (c.qk_scale !== null && !(typeof c.qk_scale === 'number' && c.qk_scale > 0)) failConfig('qk_scale', 'null or a positive number', c.qk_scale);
  if (typeof c.ape !== 'boolean') failConfig('ape', 'a boolean', c.ape);
  if (typeof c.patch_norm !== 'boolean') failConfig('patch_norm', 'a boolean', c.patch_norm);
  validateLayerNormEps(c);
  return c;
}

/**
 * Applies a user's partial config (official argument names, optional "family") over a base,
 * refusing keys we do not know so a typo cannot silently do nothing.
 */
export function mergeSwinV1Config(base: SwinV1Config, overrides: Record<string, unknown>): SwinV1Config {
  return validateSwinV1Config(mergeKnownKeys(base, overrides, INFERENCE_IRRELEVANT) as unknown as SwinV1Config);
}

/** img_size as [H, W]. */
export function swinV1ImageSize(c: SwinV1Config): [number, number] {
  return imageSizeOf(c.img_size);
}
