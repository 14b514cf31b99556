import { inferCrossFormerConfig } from './crossformer/infer-crossformer-config.js';
import { unknownFamily, type ModelConfig } from './model-config.js';
import { detectFamily } from './model-family.js';
import { inferSwinConfig } from './swin/infer-swin-config.js';
import { inferSwinV2Config } from './swin-v2/infer-swin-v2-config.js';
import type { WeightMap } from './weight-map.js';

/**
 * The full architecture of any family from canonical weights: the family from `overrides.family`
 * or from the weight names (detectFamily), then that family's inference; `overrides` (official
 * constructor argument names) win over what the weights reveal.
 */
export function inferModelConfig(weights: WeightMap, overrides: Record<string, unknown> = {}): ModelConfig {
  const family = overrides['family'] ?? detectFamily(weights);
  switch (family) {
    case 'swin_v1':
      return inferSwinConfig(weights, overrides);
    case 'swin_v2':
      return inferSwinV2Config(weights, overrides);
    case 'crossformer':
      return inferCrossFormerConfig(weights, overrides);
    default:
      return unknownFamily(family);
  }
}
