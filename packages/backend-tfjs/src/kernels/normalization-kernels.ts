import * as tf from '@tensorflow/tfjs-core';
import { input, type TfjsKernelTable } from './kernel-support.js';

/**
 * LayerNorm over the last axis with the biased variance of the centred values (no E[x^2]-E[x]^2
 * cancellation), divided by sqrt(var + eps): one rounding fewer than multiplying by tfjs' rsqrt
 * (about 1 ulp on tfjs-wasm), which the post-norm residual streams of Swin V2 amplify.
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor | undefined, beta: tf.Tensor | undefined, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const centred = tf.sub(x, tf.mean(x, -1, true));
    const variance = tf.mean(tf.square(centred), -1, true);
    let y = tf.div(centred, tf.sqrt(tf.add(variance, eps)));
    if (gamma) y = tf.mul(y, gamma);
    if (beta) y = tf.add(y, beta);
    return y;
  });
}

/** LayerNorm and softmax (tfjs' softmax subtracts the row max). */
export const NORMALIZATION_KERNELS: TfjsKernelTable = {
  layerNorm: (i, attrs) => layerNorm(input(i, 0), i[1], i[2], attrs.eps),
  softmax: (i) => tf.softmax(input(i, 0)),
};
