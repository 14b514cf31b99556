/** One ranked class. */
export interface Ranked {
  readonly index: number;
  readonly label: string;
  readonly probability: number;
  readonly logit: number;
}

/** Softmax over logits (in float64), then the k most probable classes, best first. */
export function topK(logits: ArrayLike<number>, labels: readonly string[], k: number): Ranked[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  let sum = 0;
  const exp = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) sum += exp[i] = Math.exp(logits[i]! - max);
  const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
  return order.slice(0, k).map((index) => ({ index, label: labels[index] ?? `class ${index}`, probability: exp[index]! / sum, logit: logits[index]! }));
}
