import { failConfig, imageSizeOf, isPositiveInt, mergeKnownKeys } from '../common/config-checks.js';
import { blockGroupSizes, GROUP_TYPES, type GroupType } from './group-sizes.js';

/**
 * CrossFormer and CrossFormer++ architecture, with the official constructor's argument names
 * (cheerss/CrossFormer models/crossformer.py: CrossFormer) so a config written for it means the
 * same here. The original CrossFormer is the constructor's defaults for the CrossFormer++ options
 * (group_type 'constant', no CPE, pad_type 0, masks, fixed intervals, no ACL).
 */
export interface CrossFormerConfig {
  readonly family: 'crossformer';
  /** Training resolution: the default input size. */
  readonly img_size: number | readonly [number, number];
  /** Kernels of the cross-scale patch embedding; its stride is patch_size[0]. */
  readonly patch_size: readonly number[];
  readonly in_chans: number;
  /** 0 = no head (features only). */
  readonly num_classes: number;
  readonly embed_dim: number;
  readonly depths: readonly number[];
  readonly num_heads: readonly number[];
  /** Per stage, G: short distance attention groups G x G adjacent tokens. */
  readonly group_size: readonly number[];
  /** Per stage, I: long distance attention groups tokens sampled every I rows and columns. */
  readonly crs_interval: readonly number[];
  /** One ratio, or one per stage. */
  readonly mlp_ratio: number | readonly number[];
  readonly qkv_bias: boolean;
  /** Overrides head_dim^-0.5 when set. */
  readonly qk_scale: number | null;
  readonly patch_norm: boolean;
  /** Per merge (stages - 1), the kernels of its cross-scale stride-2 convolutions. */
  readonly merge_size: readonly (readonly number[])[];
  /** LayerNorm epsilon (nn.LayerNorm's 1e-5). */
  readonly layer_norm_eps: number;
  /** CrossFormer++ progressive group size: per-block group sizes from group_size (constant, 7_14) or from img_size (linear, linear_div, alter). */
  readonly group_type: GroupType;
  /**
   * CrossFormer++ conditional position encoding instead of the dynamic position bias: after norm1,
   * x + LayerNorm(cpe(x)), where cpe is the official depth-wise 3x3 convolution over the [B, H, W, C]
   * map read as NCHW (channels = the stage's H rows at img_size): its weights fix the map height.
   */
  readonly use_cpe: boolean;
  /** 0: pad bottom/right; 1: split the padding between top/left (the smaller half) and bottom/right. */
  readonly pad_type: 0 | 1;
  /** True: padded keys are not masked (they attend as zero tokens). */
  readonly no_mask: boolean;
  /** True: the LDA interval of a block is ceil(H / G) for its map height H (one region), not crs_interval. */
  readonly adaptive_interval: boolean;
  /** CrossFormer++ amplitude cooling layer: after blocks 2, 5, 8, ... of a stage (never its last), x = LayerNorm(depth-wise 3x3 conv(x)). */
  readonly use_acl: boolean;
}

/** The official constructor's defaults (its patch_size [4] and merge [[2],[2],[2]]; the released models use [4,8,16,32] and [2,4]). */
export const CROSSFORMER_DEFAULTS: CrossFormerConfig = {
  family: 'crossformer',
  img_size: 224,
  patch_size: [4],
  in_chans: 3,
  num_classes: 1000,
  embed_dim: 96,
  depths: [2, 2, 6, 2],
  num_heads: [3, 6, 12, 24],
  group_size: [7, 7, 7, 7],
  crs_interval: [8, 4, 2, 1],
  mlp_ratio: 4,
  qkv_bias: true,
  qk_scale: null,
  patch_norm: true,
  merge_size: [[2], [2], [2]],
  layer_norm_eps: 1e-5,
  group_type: 'constant',
  use_cpe: false,
  pad_type: 0,
  no_mask: false,
  adaptive_interval: false,
  use_acl: false,
};

// Constructor arguments that change nothing at inference: accepted and ignored.
const INFERENCE_IRRELEVANT = new Set(['drop_rate', 'attn_drop_rate', 'drop_path_rate', 'norm_layer', 'use_checkpoint']);

/**
 * Channels of each kernel of a cross-scale embedding layer producing `total` channels from n
 * kernels: kernel k < n-1 gets total / 2^(k+1), the last total / 2^(n-1) (64 from 4 kernels: 32,16,8,8).
 */
export function crossScaleChannels(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => crossScaleChannel(total, k, n));
}

/** Output channels of kernel k of n in a cross-scale layer of `total` channels (see crossScaleChannels). */
function crossScaleChannel(total: number, k: number, n: number): number {
  return Math.floor(k < n - 1 ? total / 2 ** (k + 1) : total / 2 ** k);
}

/** The convolutions of a cross-scale layer of `total` output channels: each kernel with its channels (crossScaleChannels). */
export function crossScaleConvolutions(total: number, kernels: readonly number[]): { kernel: number; channels: number }[] {
  return kernels.map((kernel, k) => ({ kernel, channels: crossScaleChannel(total, k, kernels.length) }));
}

/** The patch embedding's stride: its first (smallest) kernel. */
export function patchStride(c: CrossFormerConfig): number {
  const stride = c.patch_size[0];
  if (stride === undefined) failConfig('patch_size', 'a non-empty list of kernel sizes (the first is the stride)', c.patch_size);
  return stride;
}

/** Width of the dynamic position bias MLP of a stage of `dim` channels (official: (dim // 4) // 4). */
export function positionBiasWidth(dim: number): number {
  return Math.floor(Math.floor(dim / 4) / 4);
}

/** True when block j of a stage of `depth` blocks ends with the amplitude cooling layer (the official rule: (j + 1) % 3 == 0, not the last block). */
export function hasCoolingLayer(c: CrossFormerConfig, block: number, depth: number): boolean {
  return c.use_acl && (block + 1) % 3 === 0 && block < depth - 1;
}

/** mlp_ratio of stage i. */
export function stageMlpRatio(c: CrossFormerConfig, i: number): number {
  const ratio = typeof c.mlp_ratio === 'number' ? c.mlp_ratio : c.mlp_ratio[i];
  if (ratio === undefined) failConfig('mlp_ratio', `a positive number or a list with an entry for stage ${i}`, c.mlp_ratio);
  return ratio;
}

function checkKernels(key: string, kernels: unknown, stride: number, total: number): void {
  if (!Array.isArray(kernels) || kernels.length === 0 || !kernels.every(isPositiveInt)) failConfig(key, 'a non-empty list of positive kernel sizes', kernels);
  // Padding (k - stride) / 2 keeps every kernel's output the same size only when k - stride is even and >= 0.
  kernels.forEach((k: number, i) => {
    if (k < stride || (k - stride) % 2 !== 0) failConfig(`${key}[${i}]`, `a kernel >= ${stride} differing from the stride ${stride} by an even number`, k);
  });
  const dims = crossScaleChannels(total, kernels.length);
  if (dims.some((d) => d <= 0) || dims.reduce((a, b) => a + b, 0) !== total) {
    failConfig(key, `at most as many kernels as split ${total} channels exactly (halving per kernel: ${dims.join('+')} != ${total})`, kernels);
  }
}

/** Checks a full config; errors name the key, what was expected and what was found. */
export function validateCrossFormerConfig(c: CrossFormerConfig): CrossFormerConfig {
  if (c.family !== 'crossformer') failConfig('family', '"crossformer"', c.family);
  const size = typeof c.img_size === 'number' ? [c.img_size, c.img_size] : c.img_size;
  if (!Array.isArray(size) || size.length !== 2 || !size.every(isPositiveInt)) failConfig('img_size', 'a positive integer or [H, W]', c.img_size);
  for (const key of ['in_chans', 'embed_dim'] as const) if (!isPositiveInt(c[key])) failConfig(key, 'a positive integer', c[key]);
  if (!(Number.isInteger(c.num_classes) && c.num_classes >= 0)) failConfig('num_classes', 'a non-negative integer', c.num_classes);
  if (!Array.isArray(c.depths) || c.depths.length === 0 || !c.depths.every(isPositiveInt)) failConfig('depths', 'a non-empty list of positive integers', c.depths);
  const n = c.depths.length;
  const perStage = (key: 'num_heads' | 'group_size' | 'crs_interval') => {
    const v = c[key];
    if (!Array.isArray(v) || v.length !== n || !v.every(isPositiveInt)) failConfig(key, `a list of ${n} positive integers (one per stage)`, v);
  };
  perStage('num_heads');
  perStage('group_size');
  perStage('crs_interval');
  c.num_heads.forEach((h, i) => {
    const dim = c.embed_dim * 2 ** i;
    if (dim % h !== 0) failConfig(`num_heads[${i}]`, `a divisor of stage ${i}'s ${dim} channels`, h);
  });
  if (positionBiasWidth(c.embed_dim) < 1) failConfig('embed_dim', 'at least 16 (the position bias MLP is embed_dim // 16 wide)', c.embed_dim);
  const ratios = typeof c.mlp_ratio === 'number' ? [c.mlp_ratio] : c.mlp_ratio;
  if (!(typeof c.mlp_ratio === 'number' || (Array.isArray(c.mlp_ratio) && c.mlp_ratio.length === n)) || !ratios.every((r) => typeof r === 'number' && r > 0)) {
    failConfig('mlp_ratio', `a positive number or a list of ${n} (one per stage)`, c.mlp_ratio);
  }
  if (!Array.isArray(c.patch_size)) failConfig('patch_size', 'a list of kernel sizes (the first is the stride)', c.patch_size);
  checkKernels('patch_size', c.patch_size, c.patch_size[0] ?? 1, c.embed_dim);
  if (!Array.isArray(c.merge_size) || c.merge_size.length !== n - 1) failConfig('merge_size', `a list of ${n - 1} kernel lists (one per merge)`, c.merge_size);
  c.merge_size.forEach((kernels, i) => checkKernels(`merge_size[${i}]`, kernels, 2, 2 * c.embed_dim * 2 ** i));
  for (const key of ['qkv_bias', 'patch_norm'] as const) if (typeof c[key] !== 'boolean') failConfig(key, 'a boolean', c[key]);
  if (c.qk_scale !== null && !(typeof c.qk_scale === 'number' && c.qk_scale > 0)) failConfig('qk_scale', 'null or a positive number', c.qk_scale);
  if (!(typeof c.layer_norm_eps === 'number' && c.layer_norm_eps > 0)) failConfig('layer_norm_eps', 'a positive number', c.layer_norm_eps);
  if (!GROUP_TYPES.includes(c.group_type)) failConfig('group_type', `one of ${GROUP_TYPES.map((t) => JSON.stringify(t)).join(', ')}`, c.group_type);
  for (const key of ['use_cpe', 'no_mask', 'adaptive_interval', 'use_acl'] as const) if (typeof c[key] !== 'boolean') failConfig(key, 'a boolean', c[key]);
  if (c.pad_type !== 0 && c.pad_type !== 1) failConfig('pad_type', '0 (pad bottom/right) or 1 (pad both sides)', c.pad_type);
  if (c.use_cpe && Math.floor(Math.floor(crossFormerImageSize(c)[0] / patchStride(c)) / 2 ** (n - 1)) < 1) {
    failConfig('img_size', `at least ${patchStride(c) * 2 ** (n - 1)} rows with use_cpe (its convolutions have one channel per token row of each stage)`, c.img_size);
  }
  // Group sizes from img_size must exist for every block (the official list runs out on some sizes).
  blockGroupSizes(c);
  return c;
}

/**
 * Applies a user's partial config (official argument names, optional "family") over a base, refusing
 * unknown keys. A single number for group_size or crs_interval means that value in every stage, as
 * the official constructor's scalar default does.
 */
export function mergeCrossFormerConfig(base: CrossFormerConfig, overrides: Record<string, unknown>): CrossFormerConfig {
  const out = mergeKnownKeys(base, overrides, INFERENCE_IRRELEVANT);
  const n = (out['depths'] as unknown[] | undefined)?.length ?? 0;
  for (const key of ['group_size', 'crs_interval']) if (typeof out[key] === 'number') out[key] = Array.from({ length: n }, () => out[key]);
  return validateCrossFormerConfig(out as unknown as CrossFormerConfig);
}

/** img_size as [H, W]. */
export function crossFormerImageSize(c: CrossFormerConfig): [number, number] {
  return imageSizeOf(c.img_size);
}
