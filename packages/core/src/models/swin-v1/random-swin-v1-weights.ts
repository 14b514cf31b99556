import { tensor, type TensorData } from '../../tensor/tensor.js';
import { SeededRandom } from '../seeded-random.js';
import type { SwinV1Config } from './swin-v1-config.js';
import { swinV1WeightShapes } from './swin-v1-weight-shapes.js';

/**
 * Seeded random weights for a config, drawn like the reference fixtures' "randomized" init
 * (LayerNorm weight 1+0.2N, biases 0.1N, bias tables N, ape 0.5N, other weights N/sqrt(fan_in)),
 * so biases and norms are exercised rather than zero / identity.
 */
export function randomSwinV1Weights(config: SwinV1Config, seed: number): Map<string, TensorData> {
  const rng = new SeededRandom(seed);
  const out = new Map<string, TensorData>();
  for (const [name, shape] of swinV1WeightShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (/norm\d?\.weight$/.test(name)) data = rng.normalArray(n, 0.2, 1);
    else if (name.endsWith('.bias')) data = rng.normalArray(n, 0.1);
    else if (name.endsWith('relative_position_bias_table')) data = rng.normalArray(n, 1);
    else if (name === 'absolute_pos_embed') data = rng.normalArray(n, 0.5);
    else data = rng.normalArray(n, 1 / Math.sqrt(n / shape[0]!));
    out.set(name, tensor('float32', shape, data));
  }
  return out;
}
