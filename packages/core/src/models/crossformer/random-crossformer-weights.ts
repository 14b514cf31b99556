import { tensor, type TensorData } from '../../tensor/tensor.js';
import { dimAt } from '../../tensor/shape-dims.js';
import { SeededRandom } from '../seeded-random.js';
import type { CrossFormerConfig } from './crossformer-config.js';
import { crossFormerWeightShapes } from './crossformer-weight-shapes.js';

/** LayerNorm weights: every norm, including the position-bias MLP's (pos{1,2,3}.0), CPE's and ACL's. */
const NORM_WEIGHT = /(norm\d?|norm_cpe|ex_ln|\.pos\d\.0)\.weight$/;

/**
 * Seeded random weights drawn like the reference fixtures' "randomized" init (LayerNorm weight
 * 1+0.2N, biases 0.1N, Linear / Conv weights N/sqrt(fan_in)).
 */
export function randomCrossFormerWeights(config: CrossFormerConfig, seed: number): Map<string, TensorData> {
  const rng = new SeededRandom(seed);
  const out = new Map<string, TensorData>();
  for (const [name, shape] of crossFormerWeightShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (NORM_WEIGHT.test(name)) data = rng.normalArray(n, 0.2, 1);
    else if (name.endsWith('.bias')) data = rng.normalArray(n, 0.1);
    else data = rng.normalArray(n, 1 / Math.sqrt(n / dimAt(shape, 0, `weight '${name}'`)));
    out.set(name, tensor('float32', shape, data));
  }
  return out;
}
