import * as tf from '@tensorflow/tfjs-core';
import { dimAt, dimsOf, type InputsOf, type OpAttrs } from '@swin/core';
import type { TfjsKernelContext, TfjsKernels } from './kernel-support.js';
import { linearRows } from './matmul-kernels.js';

/**
 * The q, k or v block of the fused qkv weight, transposed to [C, C] for the fast matmul path, with
 * q's block pre-multiplied by the attention scale. Derived once per weight tensor and cached.
 */
function projectionWeight(ctx: TfjsKernelContext, qkvW: tf.Tensor, part: 0 | 1 | 2, scale: number): tf.Tensor {
  const c = dimAt(qkvW.shape, 1, 'qkv weight');
  return ctx.derived.get(qkvW, `qkv${part}:${part === 0 ? scale : 1}`, (w) => {
    const block = tf.transpose(tf.slice(w, [part * c, 0], [c, c]));
    return part === 0 ? tf.mul(block, scale) : block;
  });
}

function projectionBias(ctx: TfjsKernelContext, qkvB: tf.Tensor, part: 0 | 1 | 2, scale: number): tf.Tensor {
  const c = dimAt(qkvB.shape, 0, 'qkv bias') / 3;
  return ctx.derived.get(qkvB, `qkv${part}:${part === 0 ? scale : 1}`, (b) => {
    const block = tf.slice(b, [part * c], [c]);
    return part === 0 ? tf.mul(block, scale) : block;
  });
}

/**
 * Window attention in one kernel. q, k, v come from three rank-2 products on cached weight blocks
 * (tfjs-wasm's XNNPACK path) and reach [windows * heads, N, hd] through rank-4 transposes: a
 * rank-5 transpose of a fused qkv is ~50x slower on tfjs-wasm. The scale is folded into q's weights.
 */
function windowAttention(ctx: TfjsKernelContext, inputs: InputsOf<'windowAttention', tf.Tensor>, attrs: OpAttrs['windowAttention']): tf.Tensor {
  const { x, qkvWeight: qkvW, qkvBias: qkvB, projWeight: projW, projBias: projB, attnBias } = inputs;
  const [bw, n, c] = dimsOf(x.shape, 3, 'windowAttention x');
  const nh = attrs.numHeads;
  const hd = c / nh;
  const nWb = dimAt(attnBias.shape, 0, 'windowAttention bias');
  const weights = ([0, 1, 2] as const).map((p) => projectionWeight(ctx, qkvW, p, attrs.scale));
  const biases = ([0, 1, 2] as const).map((p) => (qkvB ? projectionBias(ctx, qkvB, p, attrs.scale) : undefined));
  return tf.tidy(() => {
    const rows = tf.reshape(x, [bw * n, c]) as tf.Tensor2D;
    const heads = (p: 0 | 1 | 2) => {
      const b = biases[p];
      const y = b ? tf.fused.matMul({ a: rows, b: weights[p] as tf.Tensor2D, bias: b }) : tf.matMul(rows, weights[p] as tf.Tensor2D);
      return tf.reshape(tf.transpose(tf.reshape(y, [bw, n, nh, hd]), [0, 2, 1, 3]), [bw * nh, n, hd]);
    };
    const scores = tf.matMul(heads(0), heads(1), false, true); // [BW*nH, N, N]
    const biased = tf.add(tf.reshape(scores, [bw / nWb, nWb, nh, n, n]), attnBias);
    const probs = tf.softmax(tf.reshape(biased, [bw * nh, n, n]));
    const context = tf.matMul(probs, heads(2)); // [BW*nH, N, hd]
    const merged = tf.reshape(tf.transpose(tf.reshape(context, [bw, nh, n, hd]), [0, 2, 1, 3]), [bw, n, c]);
    return linearRows(ctx, merged, projW, projB);
  });
}

/** windowAttention, natively. */
export function createWindowAttentionKernels(ctx: TfjsKernelContext): TfjsKernels<'windowAttention'> {
  return { windowAttention: (i, attrs) => windowAttention(ctx, i, attrs) };
}
