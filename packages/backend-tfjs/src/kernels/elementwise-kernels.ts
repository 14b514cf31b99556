import * as tf from '@tensorflow/tfjs-core';
import { input, type TfjsKernelTable } from './kernel-support.js';

/** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)): tfjs has no gelu, and the tanh form is not the contract. */
export function geluExact(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)));
}

/** Broadcasting arithmetic and the unary activations. */
export const ELEMENTWISE_KERNELS: TfjsKernelTable = {
  add: (i) => tf.add(input(i, 0), input(i, 1)),
  sub: (i) => tf.sub(input(i, 0), input(i, 1)),
  mul: (i) => tf.mul(input(i, 0), input(i, 1)),
  div: (i) => tf.div(input(i, 0), input(i, 1)),
  gelu: (i) => geluExact(input(i, 0)),
  relu: (i) => tf.relu(input(i, 0)),
  sigmoid: (i) => tf.sigmoid(input(i, 0)),
  exp: (i) => tf.exp(input(i, 0)),
  sqrt: (i) => tf.sqrt(input(i, 0)),
};
