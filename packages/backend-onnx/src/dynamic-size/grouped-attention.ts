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

/** Index tables moving hd-wide rows of a [BG, N * nH, hd] view between token-major and head-major order. */
export interface HeadMoves {
  /** [nH, N]: row t * nH + h for head h, token t (the Gather's output is [BG, nH, N, hd] directly). */
  readonly split: OnnxValue;
  /** [N * nH]: the inverse, head-major rows back to token-major. */
  readonly merge: OnnxValue;
}

/**
 * The head moves for groups of N tokens (N from the run): Gathers rather than Transposes, as the
 * fixed-size emitter does, because onnxruntime runs Gather on every intra-op thread.
 */
export function headMoves(rt: RuntimeTensors, groupTokens: RuntimeInt, heads: number): HeadMoves {
  const tokens = rt.ints.range(groupTokens);
  const head = rt.ints.range(heads);
  const split = rt.add(rt.unsqueeze(rt.mul(tokens, heads), [0]), rt.unsqueeze(head, [1])); // [nH, N]
  const merge = rt.add(rt.unsqueeze(tokens, [1]), rt.unsqueeze(rt.mul(head, groupTokens), [0])); // [N, nH]
  return { split, merge: rt.reshape(merge, [-1]) };
}

/**
 * Multi-head attention within groups for x [B * nG * N, C] (groups of one image consecutive):
 * Gemm per projection over every token, heads split and merged by Gathers with N from the run,
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
  moves: HeadMoves,
): OnnxValue {
  const n = groups.groupTokens;
  const hd = channels / heads;
  // The bias as its own Add after the Gemm, as in the fixed-size file (emitLinear says why).
  const gemm = (input: OnnxValue, weight: OnnxValue, b: OnnxValue | undefined) => {
    const product = rt.op('Gemm', [input, weight], 'float32', [attr.int('transB', 1)]);
    return b ? rt.op('Add', [product, b], 'float32') : product;
  };
  const rowsView = [-1, rt.ints.mul(n, heads), hd];
  const byHead = (t: OnnxValue) => rt.op('Gather', [rt.reshape(t, rowsView), moves.split], 'float32', [attr.int('axis', 1)]); // [BG, nH, N, hd]
  const unit = (t: OnnxValue) => {
    if (scores.kind === 'dot') return t;
    // x / sqrt(sum(x^2) + eps^2), as core's l2NormalizeLastAxis
    const sumSq = rt.op('ReduceSum', [rt.mul(t, t), rt.em.int64s([-1])], 'float32', [attr.int('keepdims', 1)]);
    return rt.div(t, rt.op('Sqrt', [rt.add(sumSq, rt.float(scores.eps * scores.eps))]));
  };
  const q = unit(byHead(gemm(x, w.q.weight, w.q.bias)));
  // k^T as a Transpose of the last two axes, which onnxruntime folds into the MatMul
  const kT = rt.transpose(unit(byHead(gemm(x, w.k.weight, w.k.bias))), [0, 1, 3, 2]);
  const v = byHead(gemm(x, w.v.weight, w.v.bias));
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
  const context = rt.op('Gather', [rt.reshape(rt.op('MatMul', [probs, v]), rowsView), moves.merge], 'float32', [attr.int('axis', 1)]); // token-major rows
  return gemm(rt.reshape(context, [-1, channels]), w.projWeight, w.projBias);
}
