import { blockTailShapes, normShapes, patchEmbeddingShapes, shapesIf, stagesWeightShapes, type WeightShapes } from '../common/shared-weight-shapes.js';
import { resolveBlockGeometry, stageResolutions } from '../common/stage-geometry.js';
import { swinV1ImageSize, type SwinV1Config } from './swin-v1-config.js';

/**
 * Canonical (official) parameter names and shapes of a Swin V1 model, in the official state_dict
 * order, derived buffers excluded. Bias tables are sized for the window each stage resolves to at
 * img_size under the config's window rule, as the official constructor (or torchvision's) does.
 */
export function swinV1WeightShapes(c: SwinV1Config): WeightShapes {
  const [h, w] = swinV1ImageSize(c);
  const res = stageResolutions(h, w, c.patch_size, c.depths.length);
  const stages = stagesWeightShapes(
    c,
    (pre, si, bj, dim, heads) => {
      // stageResolutions returns one size per stage.
      const M = resolveBlockGeometry(si, bj, ...res[si]!, c.window_size, c.window_rule).window;
      return [
        ...normShapes(`${pre}.norm1`, dim),
        [`${pre}.attn.relative_position_bias_table`, [(2 * M - 1) ** 2, heads]],
        [`${pre}.attn.qkv.weight`, [3 * dim, dim]],
        ...shapesIf(c.qkv_bias, [[`${pre}.attn.qkv.bias`, [3 * dim]]]),
        ...blockTailShapes(pre, dim, Math.round(dim * c.mlp_ratio)),
      ];
    },
    (pre, _si, dim) => [[`${pre}.reduction.weight`, [2 * dim, 4 * dim]], ...normShapes(`${pre}.norm`, 4 * dim)],
  );
  return [...patchEmbeddingShapes(c, [h, w]), ...stages];
}
