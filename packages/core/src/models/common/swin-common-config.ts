import { failConfig, isPositiveInt } from './config-checks.js';
import { WINDOW_RULES, type WindowRule } from './stage-geometry.js';

/**
 * The architecture arguments Swin V1 and V2 share, with the official constructors' names so a
 * config written for the Microsoft code means the same here.
 */
export interface SwinCommonConfig {
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
  /** V1: q, k and v biases; V2: q and v biases (V2 has no k bias). */
  readonly qkv_bias: boolean;
  readonly ape: boolean;
  readonly patch_norm: boolean;
  /** LayerNorm epsilon (the official code uses nn.LayerNorm's 1e-5). */
  readonly layer_norm_eps: number;
  /**
   * Not an official argument: how blocks pick window and shift where a stage is not larger than the
   * window (see WindowRule). 'torchvision' for torchvision's swin_t/s/b and swin_v2_t/s/b
   * checkpoints, which never shrink the window and zero the shift per axis.
   */
  readonly window_rule: WindowRule;
}

/** The official constructors' defaults V1 and V2 share (Swin-T at 224), up to mlp_ratio, in their argument order. */
export const SWIN_COMMON_DEFAULTS: Pick<
  SwinCommonConfig,
  'img_size' | 'patch_size' | 'in_chans' | 'num_classes' | 'embed_dim' | 'depths' | 'num_heads' | 'window_size' | 'mlp_ratio'
> = {
  img_size: 224,
  patch_size: 4,
  in_chans: 3,
  num_classes: 1000,
  embed_dim: 96,
  depths: [2, 2, 6, 2],
  num_heads: [3, 6, 12, 24],
  window_size: 7,
  mlp_ratio: 4,
};

/**
 * Checks the shared arguments up to mlp_ratio (image size, sizes, classes, depths, heads per stage
 * dividing each stage's channels); errors name the key, what was expected and what was found.
 */
export function validateSwinCommon(c: SwinCommonConfig): void {
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
  if (!WINDOW_RULES.includes(c.window_rule)) failConfig('window_rule', WINDOW_RULES.map((r) => JSON.stringify(r)).join(' or '), c.window_rule);
}

/** layer_norm_eps > 0: the last check of every Swin config. */
export function validateLayerNormEps(c: { readonly layer_norm_eps: unknown }): void {
  if (!(typeof c.layer_norm_eps === 'number' && c.layer_norm_eps > 0)) failConfig('layer_norm_eps', 'a positive number', c.layer_norm_eps);
}
