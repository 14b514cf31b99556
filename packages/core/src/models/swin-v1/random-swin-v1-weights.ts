import type { TensorData } from '../../tensor/tensor.js';
import { randomWeightsFor } from '../common/random-weights.js';
import type { SwinV1Config } from './swin-v1-config.js';
import { swinV1WeightShapes } from './swin-v1-weight-shapes.js';

/**
 * Seeded random weights for a config, drawn like the reference fixtures' "randomized" init (the
 * shared rules of randomWeightsFor, and bias tables N).
 */
export function randomSwinV1Weights(config: SwinV1Config, seed: number): Map<string, TensorData> {
  return randomWeightsFor(swinV1WeightShapes(config), seed, {
    rule: (name, n, rng) => (name.endsWith('relative_position_bias_table') ? rng.normalArray(n, 1) : undefined),
  });
}
