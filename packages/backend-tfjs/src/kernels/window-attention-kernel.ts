import * as tf from '@tensorflow/tfjs-core';
import type { OpAttrs } from '@swin/core';
import { input, type TfjsKernelContext, type TfjsKernelTable } from './kernel-support.js';
import { linearRows } from './matmul-kernels.js';

/**
 * Window attention in one kernel: a single qkv product (rank 2, the fast path), one rank-5
 * transpose to split q/k/v and heads, batched q k^T and attn v over (windows x heads), the bias
 * broadcast per window, softmax, and the output projection.
 */
function windowAttention(ctx: TfjsKernelContext, inputs: (tf.Tensor | undefined)[], attrs: OpAttrs['windowAttention']): tf.Tensor {
  const x = input(inputs, 0);
  const qkvW = input(inputs, 1);
  const projW = input(inputs, 3);
  const bias = input(inputs, 5);
  const [bw, n, c] = x.shape as [number, number, number];
  const nh = attrs.numHeads;
  const hd = c / nh;
  const nWb = bias.shape[0]!;
  return tf.tidy(() => {
    const qkv = linearRows(ctx, x, qkvW, inputs[2]); // [BW, N, 3C]
    const split = tf.transpose(tf.reshape(qkv, [bw, n, 3, nh, hd]), [2, 0, 3, 1, 4]); // [3, BW, nH, N, hd]
    const [q, k, v] = tf.unstack(split, 0) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const scores = tf.matMul(tf.reshape(tf.mul(q, attrs.scale), [bw * nh, n, hd]), tf.reshape(k, [bw * nh, n, hd]), false, true);
    const biased = tf.add(tf.reshape(scores, [bw / nWb, nWb, nh, n, n]), bias);
    const probs = tf.softmax(tf.reshape(biased, [bw * nh, n, n]));
    const context = tf.matMul(probs, tf.reshape(v, [bw * nh, n, hd])); // [BW*nH, N, hd]
    const merged = tf.reshape(tf.transpose(tf.reshape(context, [bw, nh, n, hd]), [0, 2, 1, 3]), [bw, n, c]);
    return linearRows(ctx, merged, projW, inputs[4]);
  });
}

/** windowAttention, natively. */
export function createWindowAttentionKernels(ctx: TfjsKernelContext): TfjsKernelTable {
  return { windowAttention: (i, attrs) => windowAttention(ctx, i, attrs) };
}
