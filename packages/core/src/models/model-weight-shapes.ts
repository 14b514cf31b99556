import type { TensorData } from '../tensor/tensor.js';
import { familyOf, type ModelConfig } from './model-families.js';

/** Canonical parameter names and shapes of any family's config, in the official state_dict order. */
export function modelWeightShapes(config: ModelConfig): [string, number[]][] {
  return familyOf(config).weightShapes(config);
}

/** Seeded random weights of any family, drawn like the reference fixtures' randomized init. */
export function randomModelWeights(config: ModelConfig, seed: number): Map<string, TensorData> {
  return familyOf(config).randomWeights(config, seed);
}
