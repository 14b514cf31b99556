import { ConfigError } from '../../errors.js';
import { dimAt } from '../../tensor/shape-dims.js';
import { toFloat32, type TensorData } from '../../tensor/tensor.js';
import { weightShapeOf } from '../common/config-checks.js';
import { familyOverrides, readSwinCommonFields, readSwinLayout } from '../common/infer-swin-common.js';
import type { WeightMap } from '../weight-map.js';
import { SWIN_V2_DEFAULTS, mergeSwinV2Config, type SwinV2Config } from './swin-v2-config.js';

/** Training sizes of the released V2 models per window (the V1 rule for others: window * patch * 2^(stages-1)). */
const RELEASED_SIZE_FOR_WINDOW: Readonly<Record<number, number>> = { 7: 224, 8: 256, 12: 192, 16: 256, 24: 384 };

/**
 * The pretrained window a relative_coords_table was built with, from its largest coordinate
 * m = log2(8 (W-1)/(P-1) + 1) / 3 at offset W-1: P = 1 + 8 (W-1) / (2^(3m) - 1). Returns 0 when
 * P is the block's own window (the table was normalised by the window itself).
 */
export function pretrainedWindowOf(table: TensorData, window: number): number {
  if (window < 2) return 0;
  const data = toFloat32(table).data;
  let m = 0;
  for (const v of data) m = Math.max(m, v);
  const p = Math.round(1 + (8 * (window - 1)) / (2 ** (3 * m) - 1));
  return p === window ? 0 : p;
}

/**
 * Reads the Swin V2 architecture off canonical weights: embed dim, channels and patch from the patch
 * embedding; depths from block names; heads from logit_scale; mlp ratio from fc1; q/v biases, ape,
 * patch norm and head from which weights exist. The window is not in the parameters (the position
 * bias is an MLP over coordinates): it comes from `overrides`, else from the derived buffers an
 * official checkpoint carries when they were kept (relative_position_index gives each block's window,
 * relative_coords_table its pretrained window), else it is an error naming what to pass.
 * `overrides` (official argument names) win over everything inferred.
 */
export function inferSwinV2Config(weights: WeightMap, overrides: Record<string, unknown> = {}): SwinV2Config {
  const rest = familyOverrides(overrides, SWIN_V2_DEFAULTS.family);
  const shapeOf = (name: string) => weightShapeOf(weights, name, 'the Swin V2 architecture');
  const layout = readSwinLayout(weights, shapeOf);
  const { depths } = layout;
  // logit_scale is [heads, 1, 1].
  const numHeads = depths.map((_, i) => {
    const name = `layers.${i}.blocks.0.attn.logit_scale`;
    return dimAt(shapeOf(name), 0, name);
  });
  const { fields, apeImageSize } = readSwinCommonFields(weights, shapeOf, layout, numHeads);

  // Windows per stage from kept derived buffers (an (N, N) index: window sqrt(N)).
  const bufferWindows = depths.map((_, i) => {
    const name = `layers.${i}.blocks.0.attn.relative_position_index`;
    const idx = weights.get(name);
    return idx ? Math.round(Math.sqrt(dimAt(idx.shape, 0, name))) : undefined;
  });
  const known = bufferWindows.every((m) => m !== undefined) ? bufferWindows : undefined;
  const window = (overrides['window_size'] as number | undefined) ?? (known ? Math.max(...known) : undefined);
  if (window === undefined) {
    throw new ConfigError(
      'cannot infer Swin V2 window_size: the weights hold no relative_position_index buffers and the position bias is an MLP that fits any window; pass window_size (and img_size, pretrained_window_sizes if fine-tuned), e.g. {"window_size": 8, "img_size": 256}',
    );
  }
  // Without ape, a stage whose buffers show a smaller window was built where that stage equals its window.
  const shrunk = known && [...known.entries()].find(([, m]) => m < window);
  const imgSize =
    apeImageSize ?? (shrunk ? shrunk[1] * layout.patch * 2 ** shrunk[0] : (RELEASED_SIZE_FOR_WINDOW[window] ?? window * layout.patch * 2 ** (depths.length - 1)));
  const pretrained = depths.map((_, i) => {
    const table = weights.get(`layers.${i}.blocks.0.attn.relative_coords_table`);
    const blockWindow = known?.[i];
    return table && blockWindow !== undefined ? pretrainedWindowOf(table, blockWindow) : 0;
  });

  const inferred: SwinV2Config = {
    ...SWIN_V2_DEFAULTS,
    ...fields,
    img_size: imgSize,
    window_size: window,
    qkv_bias: weights.has('layers.0.blocks.0.attn.q_bias'),
    pretrained_window_sizes: pretrained,
  };
  return mergeSwinV2Config(inferred, rest);
}
