import type { PatchEmbeddingConfig } from './patch-embedding.js';

/** Canonical parameter names with their shapes, in the official state_dict order. */
export type WeightShapes = [string, number[]][];

/** What the stage layout of every family's weights depends on. */
export interface StageShapesConfig {
  readonly embed_dim: number;
  readonly depths: readonly number[];
  readonly num_heads: readonly number[];
  readonly num_classes: number;
}

/** `shapes` when `present` (optional weights such as a qkv bias), else none. */
export function shapesIf(present: boolean, shapes: WeightShapes): WeightShapes {
  return present ? shapes : [];
}

/** A LayerNorm's or a Linear's weight and bias under `pre`. */
export function normShapes(pre: string, dim: number): WeightShapes {
  return [[`${pre}.weight`, [dim]], [`${pre}.bias`, [dim]]];
}

/** `absolute_pos_embed` (when ape), then the single-convolution patch embedding and its optional norm (Swin V1 and V2). */
export function patchEmbeddingShapes(c: PatchEmbeddingConfig, imageSize: readonly [number, number]): WeightShapes {
  const p = c.patch_size;
  const C0 = c.embed_dim;
  const out: WeightShapes = [];
  // One position per token of the first stage's grid (the image padded to patch multiples).
  if (c.ape) out.push(['absolute_pos_embed', [1, Math.ceil(imageSize[0] / p) * Math.ceil(imageSize[1] / p), C0]]);
  out.push(['patch_embed.proj.weight', [C0, c.in_chans, p, p]], ['patch_embed.proj.bias', [C0]]);
  if (c.patch_norm) out.push(...normShapes('patch_embed.norm', C0));
  return out;
}

/** The end of every family's block after its attention core: attn.proj, norm2, mlp.fc1, mlp.fc2. */
export function blockTailShapes(pre: string, dim: number, hidden: number): WeightShapes {
  return [
    [`${pre}.attn.proj.weight`, [dim, dim]],
    [`${pre}.attn.proj.bias`, [dim]],
    ...normShapes(`${pre}.norm2`, dim),
    [`${pre}.mlp.fc1.weight`, [hidden, dim]],
    [`${pre}.mlp.fc1.bias`, [hidden]],
    [`${pre}.mlp.fc2.weight`, [dim, hidden]],
    [`${pre}.mlp.fc2.bias`, [dim]],
  ];
}

/**
 * The stages' weights in the order emitStages uses them: per stage its blocks under
 * `layers.{i}.blocks.{j}`, then (all but the last) its downsampling under `layers.{i}.downsample`;
 * then the final norm and the head (when num_classes > 0).
 */
export function stagesWeightShapes(
  c: StageShapesConfig,
  block: (pre: string, stage: number, block: number, dim: number, heads: number) => WeightShapes,
  downsample: (pre: string, stage: number, dim: number) => WeightShapes,
): WeightShapes {
  const out: WeightShapes = [];
  c.depths.forEach((depth, si) => {
    const dim = c.embed_dim * 2 ** si;
    // num_heads has one entry per stage (every family's validator checks it).
    const heads = c.num_heads[si]!;
    for (let bj = 0; bj < depth; bj++) out.push(...block(`layers.${si}.blocks.${bj}`, si, bj, dim, heads));
    if (si < c.depths.length - 1) out.push(...downsample(`layers.${si}.downsample`, si, dim));
  });
  const nf = c.embed_dim * 2 ** (c.depths.length - 1);
  out.push(...normShapes('norm', nf));
  if (c.num_classes > 0) out.push(['head.weight', [c.num_classes, nf]], ['head.bias', [c.num_classes]]);
  return out;
}
