import * as tf from '@tensorflow/tfjs-core';
import type { TfjsKernels } from './kernel-support.js';

/**
 * LayerNorm over the last axis, as accurate as float32 sums allow: the mean is corrected by a
 * second pass over the centred values (rows with a large mean and a small spread otherwise lose
 * ~2e-6 relative to the float32 mean's rounding), the variance is that of the centred values (no
 * E[x^2]-E[x]^2 cancellation), and the division by sqrt(var + eps) rounds once fewer than a
 * multiplication by tfjs' rsqrt (about 1 ulp on tfjs-wasm). Two extra passes: ~1% of Swin-T.
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor | undefined, beta: tf.Tensor | undefined, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const rough = tf.sub(x, tf.mean(x, -1, true));
    const centred = tf.sub(rough, tf.mean(rough, -1, true));
    const variance = tf.mean(tf.square(centred), -1, true);
    let y = tf.div(centred, tf.sqrt(tf.add(variance, eps)));
    if (gamma) y = tf.mul(y, gamma);
    if (beta) y = tf.add(y, beta);
    return y;
  });
}

/** LayerNorm and softmax (tfjs' softmax subtracts the row max). */
export const NORMALIZATION_KERNELS: TfjsKernels<'layerNorm' | 'softmax'> = {
  layerNorm: ({ x, gamma, beta }, attrs) => layerNorm(x, gamma, beta, attrs.eps),
  softmax: ({ x }) => tf.softmax(x),
};
