import { resolveBlockGeometry, stageResolutions } from '../common/stage-geometry.js';
import { swinV1ImageSize, type SwinV1Config } from './swin-v1-config.js';

/**
 * Canonical (official) parameter names and shapes of a Swin V1 model, in the official state_dict
 * order, derived buffers excluded. Bias tables are sized for the window each stage resolves to at
 * img_size, as the official constructor does.
 */
export function swinV1WeightShapes(c: SwinV1Config): [string, number[]][] {
  const out: [string, number[]][] = [];
  const p = c.patch_size;
  const C0 = c.embed_dim;
  const [h, w] = swinV1ImageSize(c);
  const res = stageResolutions(h, w, p, c.depths.length);
  out.push(['patch_embed.proj.weight', [C0, c.in_chans, p, p]], ['patch_embed.proj.bias', [C0]]);
  if (c.patch_norm) out.push(['patch_embed.norm.weight', [C0]], ['patch_embed.norm.bias', [C0]]);
  if (c.ape) out.splice(0, 0, ['absolute_pos_embed', [1, res[0]![0] * res[0]![1], C0]]);
  c.depths.forEach((depth, si) => {
    const dim = C0 * 2 ** si;
    const heads = c.num_heads[si]!;
    const hidden = Math.round(dim * c.mlp_ratio);
    for (let bj = 0; bj < depth; bj++) {
      const M = resolveBlockGeometry(si, bj, res[si]![0], res[si]![1], c.window_size).window;
      const pre = `layers.${si}.blocks.${bj}`;
      out.push([`${pre}.norm1.weight`, [dim]], [`${pre}.norm1.bias`, [dim]]);
      out.push([`${pre}.attn.relative_position_bias_table`, [(2 * M - 1) ** 2, heads]]);
      out.push([`${pre}.attn.qkv.weight`, [3 * dim, dim]]);
      if (c.qkv_bias) out.push([`${pre}.attn.qkv.bias`, [3 * dim]]);
      out.push([`${pre}.attn.proj.weight`, [dim, dim]], [`${pre}.attn.proj.bias`, [dim]]);
      out.push([`${pre}.norm2.weight`, [dim]], [`${pre}.norm2.bias`, [dim]]);
      out.push([`${pre}.mlp.fc1.weight`, [hidden, dim]], [`${pre}.mlp.fc1.bias`, [hidden]]);
      out.push([`${pre}.mlp.fc2.weight`, [dim, hidden]], [`${pre}.mlp.fc2.bias`, [dim]]);
    }
    if (si < c.depths.length - 1) {
      const pre = `layers.${si}.downsample`;
      out.push([`${pre}.reduction.weight`, [2 * dim, 4 * dim]], [`${pre}.norm.weight`, [4 * dim]], [`${pre}.norm.bias`, [4 * dim]]);
    }
  });
  const nf = C0 * 2 ** (c.depths.length - 1);
  out.push(['norm.weight', [nf]], ['norm.bias', [nf]]);
  if (c.num_classes > 0) out.push(['head.weight', [c.num_classes, nf]], ['head.bias', [c.num_classes]]);
  return out;
}
