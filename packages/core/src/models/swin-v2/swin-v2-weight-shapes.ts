import { stageResolutions } from '../common/stage-geometry.js';
import { swinV2ImageSize, type SwinV2Config } from './swin-v2-config.js';

/** Hidden width of the continuous position bias MLP (2 -> 512 -> heads) in the official code. */
export const CPB_MLP_HIDDEN = 512;

/**
 * Canonical (official) parameter names and shapes of a Swin V2 model, in the official state_dict
 * order, derived buffers (relative_coords_table, relative_position_index, attn_mask) excluded.
 * Unlike V1 no shape depends on the window: the position bias is an MLP over coordinates.
 */
export function swinV2WeightShapes(c: SwinV2Config): [string, number[]][] {
  const out: [string, number[]][] = [];
  const p = c.patch_size;
  const C0 = c.embed_dim;
  if (c.ape) {
    const [h, w] = swinV2ImageSize(c);
    const [r0] = stageResolutions(h, w, p, 1);
    out.push(['absolute_pos_embed', [1, r0![0] * r0![1], C0]]);
  }
  out.push(['patch_embed.proj.weight', [C0, c.in_chans, p, p]], ['patch_embed.proj.bias', [C0]]);
  if (c.patch_norm) out.push(['patch_embed.norm.weight', [C0]], ['patch_embed.norm.bias', [C0]]);
  c.depths.forEach((depth, si) => {
    const dim = C0 * 2 ** si;
    const heads = c.num_heads[si]!;
    const hidden = Math.round(dim * c.mlp_ratio);
    for (let bj = 0; bj < depth; bj++) {
      const pre = `layers.${si}.blocks.${bj}`;
      out.push([`${pre}.norm1.weight`, [dim]], [`${pre}.norm1.bias`, [dim]]);
      out.push([`${pre}.attn.logit_scale`, [heads, 1, 1]]);
      if (c.qkv_bias) out.push([`${pre}.attn.q_bias`, [dim]], [`${pre}.attn.v_bias`, [dim]]);
      out.push([`${pre}.attn.cpb_mlp.0.weight`, [CPB_MLP_HIDDEN, 2]], [`${pre}.attn.cpb_mlp.0.bias`, [CPB_MLP_HIDDEN]]);
      out.push([`${pre}.attn.cpb_mlp.2.weight`, [heads, CPB_MLP_HIDDEN]]);
      out.push([`${pre}.attn.qkv.weight`, [3 * dim, dim]]);
      out.push([`${pre}.attn.proj.weight`, [dim, dim]], [`${pre}.attn.proj.bias`, [dim]]);
      out.push([`${pre}.norm2.weight`, [dim]], [`${pre}.norm2.bias`, [dim]]);
      out.push([`${pre}.mlp.fc1.weight`, [hidden, dim]], [`${pre}.mlp.fc1.bias`, [hidden]]);
      out.push([`${pre}.mlp.fc2.weight`, [dim, hidden]], [`${pre}.mlp.fc2.bias`, [dim]]);
    }
    if (si < c.depths.length - 1) {
      const pre = `layers.${si}.downsample`;
      out.push([`${pre}.reduction.weight`, [2 * dim, 4 * dim]], [`${pre}.norm.weight`, [2 * dim]], [`${pre}.norm.bias`, [2 * dim]]);
    }
  });
  const nf = C0 * 2 ** (c.depths.length - 1);
  out.push(['norm.weight', [nf]], ['norm.bias', [nf]]);
  if (c.num_classes > 0) out.push(['head.weight', [c.num_classes, nf]], ['head.bias', [c.num_classes]]);
  return out;
}
