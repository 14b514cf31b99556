import { WeightError, formatShape } from '../errors.js';
import type { TensorData } from '../tensor/tensor.js';

/** Weights by canonical (official Microsoft) name. */
export type WeightMap = ReadonlyMap<string, TensorData>;

/**
 * Buffers the official code stores but which are functions of the architecture: recomputed, never
 * read. `attn.biases` is the 2021 CrossFormer code's table of relative offsets (the released cros_*
 * checkpoints carry it with relative_position_index).
 */
export const DERIVED_BUFFER_SUFFIXES = ['relative_position_index', 'attn_mask', 'relative_coords_table', 'attn.biases'] as const;

/** True for a derived buffer name (see DERIVED_BUFFER_SUFFIXES). */
export function isDerivedBuffer(name: string): boolean {
  return DERIVED_BUFFER_SUFFIXES.some((s) => name === s || name.endsWith(`.${s}`));
}

/** Hands out weights by name with shape checks, remembering which were used. */
export class WeightReader {
  private readonly used = new Set<string>();
  constructor(private readonly weights: WeightMap) {}

  has(name: string): boolean {
    return this.weights.has(name);
  }

  /** The weight `name`, which must have `shape` (null entries match any size). */
  take(name: string, shape: readonly (number | null)[]): TensorData {
    const t = this.weights.get(name);
    if (!t) throw new WeightError('MISSING_WEIGHT', name, `missing weight '${name}': expected shape [${shape.map((d) => d ?? '?').join(',')}]`);
    if (t.shape.length !== shape.length || shape.some((d, i) => d !== null && d !== t.shape[i])) {
      throw new WeightError('WEIGHT_SHAPE_MISMATCH', name, `weight '${name}': expected shape [${shape.map((d) => d ?? '?').join(',')}], found ${formatShape(t.shape)}`);
    }
    if (t.dtype !== 'float32' && t.dtype !== 'float16') {
      throw new WeightError('WEIGHT_SHAPE_MISMATCH', name, `weight '${name}': expected a float tensor, found ${t.dtype}`);
    }
    this.used.add(name);
    return t;
  }

  /** Like take, but returns undefined when absent (for optional parameters such as biases). */
  maybe(name: string, shape: readonly (number | null)[]): TensorData | undefined {
    return this.weights.has(name) ? this.take(name, shape) : undefined;
  }

  /** Names never taken, derived buffers excluded. */
  unused(): string[] {
    return [...this.weights.keys()].filter((k) => !this.used.has(k) && !isDerivedBuffer(k));
  }

  /** Total elements of the weights taken: the model's parameter count. */
  parameterCount(): number {
    let n = 0;
    for (const k of this.used) n += this.weights.get(k)!.data.length;
    return n;
  }
}
