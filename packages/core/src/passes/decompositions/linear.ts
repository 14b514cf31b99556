import type { Decomposition } from './decomposition.js';

/** linear(x, w, b) = x @ w^T + b. */
export const decomposeLinear: Decomposition<'linear'> = (b, { x, weight, bias }) => {
  const y = b.matmul(x, weight, true, 'matmul');
  return bias ? b.add(y, bias, 'bias') : y;
};
