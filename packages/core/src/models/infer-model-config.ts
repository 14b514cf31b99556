import { detectFamily, getModelFamily, type ModelConfig } from './model-families.js';
import type { WeightMap } from './weight-map.js';

/**
 * The full architecture of any family from canonical weights: the family from `overrides.family`
 * or from the weight names (detectFamily), then that family's inference; `overrides` (official
 * constructor argument names) win over what the weights reveal.
 */
export function inferModelConfig(weights: WeightMap, overrides: Record<string, unknown> = {}): ModelConfig {
  return getModelFamily(overrides['family'] ?? detectFamily(weights)).infer(weights, overrides);
}
