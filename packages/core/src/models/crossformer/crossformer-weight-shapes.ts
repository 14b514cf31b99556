import { crossFormerImageSize, crossScaleConvolutions, hasCoolingLayer, patchStride, positionBiasWidth, stageMlpRatio, validateCrossFormerConfig, type CrossFormerConfig } from './crossformer-config.js';

/** Token rows of stage i at img_size: the official input_resolution[0] (img_size[0] // patch // 2^i), which sizes the CPE convolution. */
export function stageRowsAtImageSize(c: CrossFormerConfig, stage: number): number {
  return Math.floor(Math.floor(crossFormerImageSize(c)[0] / patchStride(c)) / 2 ** stage);
}

/**
 * Canonical (official) parameter names and shapes of a CrossFormer / CrossFormer++, in the official
 * state_dict order (the current official model registers no persistent buffers; the 2021 code's
 * attn.biases and attn.relative_position_index are derived buffers).
 */
export function crossFormerWeightShapes(config: CrossFormerConfig): [string, number[]][] {
  const c = validateCrossFormerConfig(config);
  const out: [string, number[]][] = [];
  const C0 = c.embed_dim;
  crossScaleConvolutions(C0, c.patch_size).forEach(({ kernel: k, channels: d }, i) => {
    out.push([`patch_embed.projs.${i}.weight`, [d, c.in_chans, k, k]], [`patch_embed.projs.${i}.bias`, [d]]);
  });
  if (c.patch_norm) out.push(['patch_embed.norm.weight', [C0]], ['patch_embed.norm.bias', [C0]]);
  c.depths.forEach((depth, si) => {
    const dim = C0 * 2 ** si;
    // Validated above: num_heads has one entry per stage.
    const heads = c.num_heads[si]!;
    const hidden = Math.floor(dim * stageMlpRatio(c, si));
    const d = positionBiasWidth(dim);
    for (let bj = 0; bj < depth; bj++) {
      const pre = `layers.${si}.blocks.${bj}`;
      out.push([`${pre}.norm1.weight`, [dim]], [`${pre}.norm1.bias`, [dim]]);
      if (!c.use_cpe) {
        out.push([`${pre}.attn.pos.pos_proj.weight`, [d, 2]], [`${pre}.attn.pos.pos_proj.bias`, [d]]);
        for (const [layer, o] of [['pos1', d], ['pos2', d], ['pos3', heads]] as const) {
          out.push([`${pre}.attn.pos.${layer}.0.weight`, [d]], [`${pre}.attn.pos.${layer}.0.bias`, [d]]);
          out.push([`${pre}.attn.pos.${layer}.2.weight`, [o, d]], [`${pre}.attn.pos.${layer}.2.bias`, [o]]);
        }
      }
      out.push([`${pre}.attn.qkv.weight`, [3 * dim, dim]]);
      if (c.qkv_bias) out.push([`${pre}.attn.qkv.bias`, [3 * dim]]);
      out.push([`${pre}.attn.proj.weight`, [dim, dim]], [`${pre}.attn.proj.bias`, [dim]]);
      if (c.use_cpe) {
        const rows = stageRowsAtImageSize(c, si);
        out.push([`${pre}.cpe.weight`, [rows, 1, 3, 3]], [`${pre}.cpe.bias`, [rows]], [`${pre}.norm_cpe.weight`, [dim]], [`${pre}.norm_cpe.bias`, [dim]]);
      }
      if (hasCoolingLayer(c, bj, depth)) {
        out.push([`${pre}.ex_conv.weight`, [dim, 1, 3, 3]], [`${pre}.ex_conv.bias`, [dim]], [`${pre}.ex_ln.weight`, [dim]], [`${pre}.ex_ln.bias`, [dim]]);
      }
      out.push([`${pre}.norm2.weight`, [dim]], [`${pre}.norm2.bias`, [dim]]);
      out.push([`${pre}.mlp.fc1.weight`, [hidden, dim]], [`${pre}.mlp.fc1.bias`, [hidden]]);
      out.push([`${pre}.mlp.fc2.weight`, [dim, hidden]], [`${pre}.mlp.fc2.bias`, [dim]]);
    }
    if (si < c.depths.length - 1) {
      const pre = `layers.${si}.downsample`;
      // Validated above: merge_size has one entry per merge (stages - 1), and si < stages - 1.
      crossScaleConvolutions(2 * dim, c.merge_size[si]!).forEach(({ kernel: k, channels: o }, i) => {
        out.push([`${pre}.reductions.${i}.weight`, [o, dim, k, k]], [`${pre}.reductions.${i}.bias`, [o]]);
      });
      out.push([`${pre}.norm.weight`, [dim]], [`${pre}.norm.bias`, [dim]]);
    }
  });
  const nf = C0 * 2 ** (c.depths.length - 1);
  out.push(['norm.weight', [nf]], ['norm.bias', [nf]]);
  if (c.num_classes > 0) out.push(['head.weight', [c.num_classes, nf]], ['head.bias', [c.num_classes]]);
  return out;
}
