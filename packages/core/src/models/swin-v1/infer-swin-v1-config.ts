import { ConfigError } from '../../errors.js';
import type { WeightMap } from '../weight-map.js';
import { depthsFromWeightNames, weightShapeOf } from '../common/config-checks.js';
import { SWIN_V1_DEFAULTS, mergeSwinV1Config, type SwinV1Config } from './swin-v1-config.js';

const shapeOf = (weights: WeightMap, name: string) => weightShapeOf(weights, name, 'the architecture');

/**
 * Reads the Swin V1 architecture off canonical weights: embed dim, in channels and patch from the
 * patch-embed conv; depths from block indices; heads and window from the bias tables; mlp ratio
 * from fc1; qkv bias, ape, patch norm and head from which weights exist. `overrides` (official
 * argument names) win; qk_scale cannot be inferred and defaults to head_dim^-0.5.
 */
export function inferSwinV1Config(weights: WeightMap, overrides: Record<string, unknown> = {}): SwinV1Config {
  const family = overrides['family'] ?? SWIN_V1_DEFAULTS.family;
  if (family !== SWIN_V1_DEFAULTS.family) throw new ConfigError(`config.family: expected "swin_v1" (inferSwinV1Config reads Swin V1 only; inferModelConfig reads every family), found ${JSON.stringify(family)}`);
  const [embed, inChans, patch] = shapeOf(weights, 'patch_embed.proj.weight') as [number, number, number];
  const depths = depthsFromWeightNames(weights.keys());
  const tables = depths.map((_, i) => shapeOf(weights, `layers.${i}.blocks.0.attn.relative_position_bias_table`));
  const numHeads = tables.map((t) => t[1]!);
  const windows = tables.map((t) => (Math.round(Math.sqrt(t[0]!)) + 1) / 2);
  const window = Math.max(...windows);
  const hidden = shapeOf(weights, 'layers.0.blocks.0.mlp.fc1.weight')[0]!;
  const head = weights.get('head.weight');
  const ape = weights.get('absolute_pos_embed');
  let imgSize: number;
  if (ape) {
    imgSize = Math.round(Math.sqrt(ape.shape[1]!)) * patch;
  } else {
    // A stage whose table is smaller than the window was built at a size where that stage equals
    // its window; otherwise assume the usual size for the window (224 for 7, 384 for 12).
    const shrunk = windows.findIndex((m) => m < window);
    if (shrunk >= 0) imgSize = windows[shrunk]! * patch * 2 ** shrunk;
    else if (window === 7) imgSize = 224;
    else if (window === 12) imgSize = 384;
    else imgSize = window * patch * 2 ** (depths.length - 1);
  }
  const inferred: SwinV1Config = {
    ...SWIN_V1_DEFAULTS,
    img_size: imgSize,
    patch_size: patch,
    in_chans: inChans,
    num_classes: head ? head.shape[0]! : 0,
    embed_dim: embed,
    depths,
    num_heads: numHeads,
    window_size: window,
    mlp_ratio: hidden / embed,
    qkv_bias: weights.has('layers.0.blocks.0.attn.qkv.bias'),
    ape: ape !== undefined,
    patch_norm: weights.has('patch_embed.norm.weight'),
  };
  const rest = { ...overrides };
  delete rest['family'];
  return mergeSwinV1Config(inferred, rest);
}
