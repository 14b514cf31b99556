import { tensor, type TensorData } from '../../tensor/tensor.js';
import { SeededRandom } from '../seeded-random.js';
import type { SwinV2Config } from './swin-v2-config.js';
import { swinV2WeightShapes } from './swin-v2-weight-shapes.js';

/**
 * Seeded random weights drawn like the reference fixtures' "randomized" init (LayerNorm weight
 * 1+0.2N, biases 0.1N, ape 0.5N, logit_scale ln(10)+0.5N with head 0 of every stage's first block
 * at 5.0 so the ln(100) clamp is exercised, other weights N/sqrt(fan_in)).
 */
export function randomSwinV2Weights(config: SwinV2Config, seed: number): Map<string, TensorData> {
  const rng = new SeededRandom(seed);
  const out = new Map<string, TensorData>();
  for (const [name, shape] of swinV2WeightShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (/norm\d?\.weight$/.test(name)) data = rng.normalArray(n, 0.2, 1);
    else if (/\.(bias|q_bias|v_bias)$/.test(name)) data = rng.normalArray(n, 0.1);
    else if (name === 'absolute_pos_embed') data = rng.normalArray(n, 0.5);
    else if (name.endsWith('.attn.logit_scale')) {
      data = rng.normalArray(n, 0.5, Math.log(10));
      if (/\.blocks\.0\.attn\.logit_scale$/.test(name)) data[0] = 5;
    } else data = rng.normalArray(n, 1 / Math.sqrt(n / shape[0]!));
    out.set(name, tensor('float32', shape, data));
  }
  return out;
}
