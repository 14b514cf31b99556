import { attr } from '../onnx/onnx-attributes.js';
import type { OnnxValue } from '../emit/onnx-graph-emitter.js';
import type { RuntimeInt } from './runtime-ints.js';
import type { RuntimeTensors } from './runtime-tensors.js';

/** The projections of one attention: q, k, v weights [C, C] (q's scale folded in for dot-product attention), biases, output projection. */
export interface AttentionProjections {
  readonly q: { readonly weight: OnnxValue; readonly bias: OnnxValue | undefined };
  readonly k: { readonly weight: OnnxValue; readonly bias: OnnxValue | undefined };
  readonly v: { readonly weight: OnnxValue; readonly bias: OnnxValue | undefined };
  readonly projWeight: OnnxValue;
  readonly projBias: OnnxValue | undefined;
}

/** What the scores are: scaled dot products (Swin V1, CrossFormer) or Swin V2's cosine similarities times a per-head scale [nH, 1, 1]. */
export type ScoreKind = { readonly kind: 'dot' } | { readonly kind: 'cosine'; readonly headScale: OnnxValue; readonly eps: number };

/** The groups being attended: their count per image and tokens per group, known at run time. */
export interface AttendedGroups {
  readonly numGroups: RuntimeInt;
  readonly groupTokens: RuntimeInt;
}

/**
 * Multi-head attention within groups for x [B * nG * N, C] (groups of one image consecutive):
 * Gemm per projection over every token, heads split by Reshape + Transpose with N from the run,
 * scores + bias [nH, N, N] (+ mask [nG, 1, N or 1, N], per group of each image), Softmax, MatMul,
 * heads merged, output Gemm. Returns [B * nG * N, C].
 */
export function groupedAttention(
  rt: RuntimeTensors,
  x: OnnxValue,
  w: AttentionProjections,
  heads: number,
  channels: number,
  groups: AttendedGroups,
  scores: ScoreKind,
  bias: OnnxValue,
  mask: OnnxValue | undefined,
): OnnxValue {
  const n = groups.groupTokens;
  const hd = channels / heads;
  const gemm = (input: OnnxValue, weight: OnnxValue, b: OnnxValue | undefined) => rt.op('Gemm', b ? [input, weight, b] : [input, weight], 'float32', [attr.int('transB', 1)]);
  const split = (p: { weight: OnnxValue; bias: OnnxValue | undefined }) => rt.reshape(gemm(x, p.weight, p.bias), [-1, n, heads, hd]); // [BG, N, nH, hd]
  const unit = (t: OnnxValue) => {
    if (scores.kind === 'dot') return t;
    // x / sqrt(sum(x^2) + eps^2), as core's l2NormalizeLastAxis
    const sumSq = rt.op('ReduceSum', [rt.mul(t, t), rt.em.int64s([-1])], 'float32', [attr.int('keepdims', 1)]);
    return rt.div(t, rt.op('Sqrt', [rt.add(sumSq, rt.float(scores.eps * scores.eps))]));
  };
  const q = rt.transpose(unit(split(w.q)), [0, 2, 1, 3]); // [BG, nH, N, hd]
  const kT = rt.transpose(unit(split(w.k)), [0, 2, 3, 1]); // [BG, nH, hd, N]
  const v = rt.transpose(split(w.v), [0, 2, 1, 3]);
  let s = rt.op('MatMul', [q, kT]); // [BG, nH, N, N]
  if (scores.kind === 'cosine') s = rt.mul(s, scores.headScale);
  let probs: OnnxValue;
  if (!mask) {
    probs = rt.op('Softmax', [rt.add(s, bias)], 'float32', [attr.int('axis', -1)]);
  } else {
    const perImage = rt.reshape(s, [-1, groups.numGroups, heads, n, n]);
    const biased = rt.add(perImage, rt.add(bias, mask)); // + [nG, nH, N, N]
    probs = rt.reshape(rt.op('Softmax', [biased], 'float32', [attr.int('axis', -1)]), [-1, heads, n, n]);
  }
  const context = rt.transpose(rt.op('MatMul', [probs, v]), [0, 2, 1, 3]); // [BG, N, nH, hd]
  return gemm(rt.reshape(context, [-1, channels]), w.projWeight, w.projBias);
}
