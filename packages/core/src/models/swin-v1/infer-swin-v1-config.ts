import { dimsOf } from '../../tensor/shape-dims.js';
import type { WeightMap } from '../weight-map.js';
import { weightShapeOf } from '../common/config-checks.js';
import { familyOverrides, readSwinCommonFields, readSwinLayout } from '../common/infer-swin-common.js';
import { SWIN_V1_DEFAULTS, mergeSwinV1Config, type SwinV1Config } from './swin-v1-config.js';

/**
 * Reads the Swin V1 architecture off canonical weights: embed dim, in channels and patch from the
 * patch-embed conv; depths from block indices; heads and window from the bias tables; mlp ratio
 * from fc1; qkv bias, ape, patch norm and head from which weights exist. `overrides` (official
 * argument names) win; qk_scale cannot be inferred and defaults to head_dim^-0.5.
 */
export function inferSwinV1Config(weights: WeightMap, overrides: Record<string, unknown> = {}): SwinV1Config {
  const rest = familyOverrides(overrides, SWIN_V1_DEFAULTS.family, ' (inferSwinV1Config reads Swin V1 only; inferModelConfig reads every family)');
  const shapeOf = (name: string) => weightShapeOf(weights, name, 'the architecture');
  const layout = readSwinLayout(weights, shapeOf);
  // A bias table is [(2M-1)^2, heads].
  const tables = layout.depths.map((_, i) => {
    const name = `layers.${i}.blocks.0.attn.relative_position_bias_table`;
    return dimsOf(shapeOf(name), 2, name);
  });
  const numHeads = tables.map(([, heads]) => heads);
  const windows = tables.map(([rows]) => (Math.round(Math.sqrt(rows)) + 1) / 2);
  const window = Math.max(...windows);
  const { fields, apeImageSize } = readSwinCommonFields(weights, shapeOf, layout, numHeads);
  const inferred: SwinV1Config = {
    ...SWIN_V1_DEFAULTS,
    ...fields,
    img_size: apeImageSize ?? sizeForWindows(windows, window, layout.patch),
    window_size: window,
    qkv_bias: weights.has('layers.0.blocks.0.attn.qkv.bias'),
  };
  return mergeSwinV1Config(inferred, rest);
}

/**
 * The training size without ape: a stage whose table is smaller than the window was built at a size
 * where that stage equals its window; otherwise the usual size for the window (224 for 7, 384 for 12).
 */
function sizeForWindows(windows: readonly number[], window: number, patch: number): number {
  for (const [stage, m] of windows.entries()) if (m < window) return m * patch * 2 ** stage;
  if (window === 7) return 224;
  if (window === 12) return 384;
  return window * patch * 2 ** (windows.length - 1);
}
