import type { TensorData } from '../../tensor/tensor.js';
import { randomWeightsFor } from '../common/random-weights.js';
import type { SwinV2Config } from './swin-v2-config.js';
import { swinV2WeightShapes } from './swin-v2-weight-shapes.js';

/**
 * Seeded random weights drawn like the reference fixtures' "randomized" init (the shared rules of
 * randomWeightsFor; q/v biases 0.1N; logit_scale ln(10)+0.5N with head 0 of every stage's first
 * block at 5.0 so the ln(100) clamp is exercised).
 */
export function randomSwinV2Weights(config: SwinV2Config, seed: number): Map<string, TensorData> {
  return randomWeightsFor(swinV2WeightShapes(config), seed, {
    rule: (name, n, rng) => {
      if (/\.(q_bias|v_bias)$/.test(name)) return rng.normalArray(n, 0.1);
      if (!name.endsWith('.attn.logit_scale')) return undefined;
      const data = rng.normalArray(n, 0.5, Math.log(10));
      if (/\.blocks\.0\.attn\.logit_scale$/.test(name)) data[0] = 5;
      return data;
    },
  });
}
