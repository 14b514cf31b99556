import { failConfig, imageSizeOf, isPositiveInt, mergeKnownKeys } from '../common/config-checks.js';

/**
 * Swin V1 architecture, with the official constructor's argument names so a config written for
 * the Microsoft code means the same here.
 */
export interface SwinV1Config {
  readonly family: 'swin_v1';
  /** Training resolution: sets the default input size and the absolute position embedding grid. */
  readonly img_size: number | readonly [number, number];
  readonly patch_size: number;
  readonly in_chans: number;
  /** 0 = no head (features only). */
  readonly num_classes: number;
  readonly embed_dim: number;
  readonly depths: readonly number[];
  readonly num_heads: readonly number[];
  readonly window_size: number;
  readonly mlp_ratio: number;
  readonly qkv_bias: boolean;
  /** Overrides head_dim^-0.5 when set. */
  readonly qk_scale: number | null;
  readonly ape: boolean;
  readonly patch_norm: boolean;
  /** LayerNorm epsilon (the official code uses nn.LayerNorm's 1e-5). */
  readonly layer_norm_eps: number;
}

/** The official constructor's defaults (Swin-T at 224). */
export const SWIN_V1_DEFAULTS: SwinV1Config = {
  family: 'swin_v1',
  img_size: 224,
  patch_size: 4,
  in_chans: 3,
  num_classes: 1000,
  embed_dim: 96,
  depths: [2, 2, 6, 2],
  num_heads: [3, 6, 12, 24],
  window_size: 7,
  mlp_ratio: 4,
  qkv_bias: true,
  qk_scale: null,
  ape: false,
  patch_norm: true,
  layer_norm_eps: 1e-5,
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
  const size = typeof c.img_size === 'number' ? [c.img_size, c.img_size] : c.img_size;
  if (!Array.isArray(size) || size.length !== 2 || !size.every(isPositiveInt)) failConfig('img_size', 'a positive integer or [H, W]', c.img_size);
  for (const key of ['patch_size', 'in_chans', 'embed_dim', 'window_size'] as const) if (!isPositiveInt(c[key])) failConfig(key, 'a positive integer', c[key]);
  if (!(Number.isInteger(c.num_classes) && c.num_classes >= 0)) failConfig('num_classes', 'a non-negative integer', c.num_classes);
  if (!Array.isArray(c.depths) || c.depths.length === 0 || !c.depths.every(isPositiveInt)) failConfig('depths', 'a non-empty list of positive integers', c.depths);
  if (!Array.isArray(c.num_heads) || c.num_heads.length !== c.depths.length || !c.num_heads.every(isPositiveInt)) {
    failConfig('num_heads', `a list of ${c.depths.length} positive integers (one per stage)`, c.num_heads);
  }
  c.num_heads.forEach((h, i) => {
    const dim = c.embed_dim * 2 ** i;
    if (dim % h !== 0) failConfig(`num_heads[${i}]`, `a divisor of stage ${i}'s ${dim} channels`, h);
  });
  if (!(typeof c.mlp_ratio === 'number' && c.mlp_ratio > 0)) failConfig('mlp_ratio', 'a positive number', c.mlp_ratio);
  if (typeof c.qkv_bias !== 'boolean') failConfig('qkv_bias', 'a boolean', c.qkv_bias);
  if (c.qk_scale !== null && !(typeof c.qk_scale === 'number' && c.qk_scale > 0)) failConfig('qk_scale', 'null or a positive number', c.qk_scale);
  if (typeof c.ape !== 'boolean') failConfig('ape', 'a boolean', c.ape);
  if (typeof c.patch_norm !== 'boolean') failConfig('patch_norm', 'a boolean', c.patch_norm);
  if (!(typeof c.layer_norm_eps === 'number' && c.layer_norm_eps > 0)) failConfig('layer_norm_eps', 'a positive number', c.layer_norm_eps);
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
