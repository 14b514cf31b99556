import { blockTailShapes, normShapes, patchEmbeddingShapes, shapesIf, stagesWeightShapes, type WeightShapes } from '../common/shared-weight-shapes.js';
import { swinV2ImageSize, type SwinV2Config } from './swin-v2-config.js';

/** Hidden width of the continuous position bias MLP (2 -> 512 -> heads) in the official code. */
export const CPB_MLP_HIDDEN = 512;

/**
 * Canonical (official) parameter names and shapes of a Swin V2 model, in the official state_dict
 * order, derived buffers (relative_coords_table, relative_position_index, attn_mask) excluded.
 * Unlike V1 no shape depends on the window: the position bias is an MLP over coordinates.
 */
export function swinV2WeightShapes(c: SwinV2Config): WeightShapes {
  const stages = stagesWeightShapes(
    c,
    (pre, _si, _bj, dim, heads) => [
      ...normShapes(`${pre}.norm1`, dim),
      [`${pre}.attn.logit_scale`, [heads, 1, 1]],
      ...shapesIf(c.qkv_bias, [[`${pre}.attn.q_bias`, [dim]], [`${pre}.attn.v_bias`, [dim]]]),
      [`${pre}.attn.cpb_mlp.0.weight`, [CPB_MLP_HIDDEN, 2]],
      [`${pre}.attn.cpb_mlp.0.bias`, [CPB_MLP_HIDDEN]],
      [`${pre}.attn.cpb_mlp.2.weight`, [heads, CPB_MLP_HIDDEN]],
      [`${pre}.attn.qkv.weight`, [3 * dim, dim]],
      ...blockTailShapes(pre, dim, Math.round(dim * c.mlp_ratio)),
    ],
    (pre, _si, dim) => [[`${pre}.reduction.weight`, [2 * dim, 4 * dim]], ...normShapes(`${pre}.norm`, 2 * dim)],
  );
  return [...patchEmbeddingShapes(c, swinV2ImageSize(c)), ...stages];
}
