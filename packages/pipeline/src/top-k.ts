import { SwinError } from '@swin/core';
import type { ClassScore } from './types.js';

/**
 * The k most probable classes of one row of logits, best first (ties by lower index): softmax in
 * float64. Non-finite logits are an error, never a "NaN%": they come from broken weights or inputs.
 */
export function topK(logits: ArrayLike<number>, k: number, label: (index: number) => string = (i) => `class ${i}`): ClassScore[] {
  if (!Number.isInteger(k) || k < 1) throw new SwinError('INVALID_ARGUMENT', `topk must be a positive integer, found ${k}`);
  // Every index below is a class index, 0 <= i < logits.length (the loops' bounds, and `order` is a
  // permutation of those): all reads are in range.
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (!Number.isFinite(v)) throw new SwinError('BACKEND_FAILURE', `the model output a non-finite logit (${v} for class ${i}): the weights or the input hold NaN or Inf`);
    if (v > max) max = v;
  }
  let sum = 0;
  const exp = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) sum += exp[i] = Math.exp(logits[i]! - max);
  const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
  return order.slice(0, k).map((index) => ({ index, label: label(index), score: exp[index]! / sum, logit: logits[index]! }));
}
