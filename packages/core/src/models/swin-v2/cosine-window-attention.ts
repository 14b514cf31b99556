import type { GraphBuilder, MaybeValue, Value } from '../../graph/graph-builder.js';
import { dimAt, dimsOf } from '../../tensor/shape-dims.js';
import { float32, toFloat16 } from '../../tensor/tensor.js';

/** F.normalize's default eps in the official Swin V2 attention. */
export const COSINE_NORMALIZE_EPS = 1e-12;

/** The weights of one Swin V2 attention, as graph values. */
export interface CosineAttentionWeights {
  /** [3C, C], rows q | k | v. */
  readonly qkvWeight: Value;
  /** [3C] = cat(q_bias, 0, v_bias), or absent. */
  readonly qkvBias: MaybeValue;
  readonly projWeight: Value;
  readonly projBias: MaybeValue;
  /** [nH]: exp(min(logit_scale, ln 100)) per head. */
  readonly headScale: Value;
  /** [nWb, nH, N, N]: 16 sigmoid(position MLP) plus the shift mask; windows of one image are consecutive. */
  readonly attnBias: Value;
}

/**
 * L2-normalises the last axis: x / sqrt(sum(x^2) + eps^2). F.normalize computes x / max(|x|, eps);
 * the two agree to float32 rounding once |x| > ~1e-8 (the relative gap is (eps/|x|)^2 / 2) and both
 * give 0 for x = 0, the only small-norm vector the model meets (padding with q/k biases absent).
 * This form needs no max, which the op set does not have.
 */
export function l2NormalizeLastAxis(b: GraphBuilder, x: Value, eps: number, name: string): Value {
  const sq = b.op('reduceSum', [b.mul(x, x, `${name}_sq`)], { axes: [-1], keepDims: true }, `${name}_sumsq`);
  // The literal takes x's dtype so a float16 graph does not mix dtypes (eps^2 is then 0 in float16: harmless).
  const eps2 = float32([], [eps * eps]);
  const norm = b.op('sqrt', [b.add(sq, b.literal(`${name}_eps2`, x.dtype === 'float16' ? toFloat16(eps2) : eps2), `${name}_sumsq_eps`)], {}, `${name}_norm`);
  return b.div(x, norm, name);
}

/**
 * Swin V2's scaled cosine attention over windows x [B*nW, N, C], written with ops of the contract
 * (linear, matmul, softmax, elementwise, reduceSum, sqrt) so every backend runs it without a new op:
 * softmax(cos(q_h, k_h) * scale_h + attnBias) v_h, heads concatenated, then proj. It mirrors
 * windowAttention's decomposition (q, k, v from constant row blocks of the qkv weight, which folding
 * turns into three weights) and could become a composite with this as its decomposition.
 */
export function cosineWindowAttention(b: GraphBuilder, x: Value, w: CosineAttentionWeights, numHeads: number): Value {
  const [, n, c] = dimsOf(x.shape, 3, 'cosine attention input');
  const hd = c / numHeads;
  const nWb = dimAt(w.attnBias.shape, 0, 'cosine attention bias');
  const head = (i: number, name: string) => {
    const weight = b.slice(w.qkvWeight, { starts: [i * c], ends: [(i + 1) * c], axes: [0] }, `${name}_weight`);
    const bias = w.qkvBias ? b.slice(w.qkvBias, { starts: [i * c], ends: [(i + 1) * c], axes: [0] }, `${name}_bias`) : undefined;
    return b.transpose(b.reshape(b.linear(x, weight, bias, name), [-1, n, numHeads, hd]), [0, 2, 1, 3], `${name}_heads`);
  };
  const q = l2NormalizeLastAxis(b, head(0, 'q'), COSINE_NORMALIZE_EPS, 'q_unit');
  const k = l2NormalizeLastAxis(b, head(1, 'k'), COSINE_NORMALIZE_EPS, 'k_unit');
  const v = head(2, 'v');

  let attn = b.matmul(q, k, true, 'cosine'); // [BW, nH, N, N]
  attn = b.mul(attn, b.reshape(w.headScale, [numHeads, 1, 1], 'head_scale'), 'scores');
  attn = b.reshape(attn, [-1, nWb, numHeads, n, n]);
  attn = b.add(attn, w.attnBias, 'scores_biased');
  attn = b.softmax(b.reshape(attn, [-1, numHeads, n, n]), 'probs');
  const context = b.reshape(b.transpose(b.matmul(attn, v, false, 'context'), [0, 2, 1, 3]), [-1, n, c]);
  return b.linear(context, w.projWeight, w.projBias, 'proj');
}
