import type { Decomposition } from './decomposition.js';
import { required } from './decomposition.js';

/** linear(x, w, b) = x @ w^T + b. */
export const decomposeLinear: Decomposition<'linear'> = (b, inputs) => {
  const y = b.matmul(required(inputs, 0), required(inputs, 1), true, 'matmul');
  const bias = inputs[2];
  return bias ? b.add(y, bias, 'bias') : y;
};
