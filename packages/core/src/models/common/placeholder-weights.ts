import { allocateFloat32 } from '../../memory/allocation-budget.js';
import { tensor, type TensorData } from '../../tensor/tensor.js';

/**
 * Zero weights for a list of (name, shape) that all view one shared buffer, so the graph of a large
 * model can be built (to count MACs, inspect shapes) without allocating its parameters.
 */
export function placeholderWeights(shapes: readonly (readonly [string, readonly number[]])[]): Map<string, TensorData> {
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const zeros = allocateFloat32(Math.max(1, ...shapes.map(([, s]) => size(s))), 'placeholder weights (the largest weight)');
  return new Map(shapes.map(([name, s]) => [name, tensor('float32', s, zeros.subarray(0, size(s)))]));
}
