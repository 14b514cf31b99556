import { tensor, type TensorData } from '../../tensor/tensor.js';
import { SeededRandom } from '../seeded-random.js';
import type { WeightShapes } from './shared-weight-shapes.js';

/** How a family draws some of its weights: the data for `name` (n elements), or undefined for the shared rules. */
export type InitRule = (name: string, n: number, rng: SeededRandom) => Float32Array | undefined;

export interface RandomWeightsOptions {
  /** Names of LayerNorm weights (default: `norm`, `norm1`, `norm2`... weights). */
  readonly normWeight?: RegExp;
  /** The family's own rules, tried first. */
  readonly rule?: InitRule;
}

/**
 * Seeded random weights for `shapes`, drawn like the reference fixtures' "randomized" init (the
 * family's rule first, then LayerNorm weight 1+0.2N, biases 0.1N, ape 0.5N, other weights
 * N/sqrt(fan_in)), so biases and norms are exercised rather than zero / identity.
 */
export function randomWeightsFor(shapes: WeightShapes, seed: number, options: RandomWeightsOptions = {}): Map<string, TensorData> {
  const { normWeight = /norm\d?\.weight$/, rule } = options;
  const rng = new SeededRandom(seed);
  const out = new Map<string, TensorData>();
  for (const [name, shape] of shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    out.set(name, tensor('float32', shape, rule?.(name, n, rng) ?? sharedInit(name, shape, n, rng, normWeight)));
  }
  return out;
}

function sharedInit(name: string, shape: readonly number[], n: number, rng: SeededRandom, normWeight: RegExp): Float32Array {
  if (normWeight.test(name)) return rng.normalArray(n, 0.2, 1);
  if (name.endsWith('.bias')) return rng.normalArray(n, 0.1);
  if (name === 'absolute_pos_embed') return rng.normalArray(n, 0.5);
  // Every weight here has a leading output dimension (fan_in = the rest).
  return rng.normalArray(n, 1 / Math.sqrt(n / shape[0]!));
}
