import * as tf from '@tensorflow/tfjs-core';
import type { TfjsKernels } from './kernel-support.js';

/** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)): tfjs has no gelu, and the tanh form is not the contract. */
export function geluExact(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)));
}

/** Broadcasting arithmetic and the unary activations. */
export const ELEMENTWISE_KERNELS: TfjsKernels<'add' | 'sub' | 'mul' | 'div' | 'gelu' | 'relu' | 'sigmoid' | 'exp' | 'sqrt'> = {
  add: ({ a, b }) => tf.add(a, b),
  sub: ({ a, b }) => tf.sub(a, b),
  mul: ({ a, b }) => tf.mul(a, b),
  div: ({ a, b }) => tf.div(a, b),
  gelu: ({ x }) => geluExact(x),
  relu: ({ x }) => tf.relu(x),
  sigmoid: ({ x }) => tf.sigmoid(x),
  exp: ({ x }) => tf.exp(x),
  sqrt: ({ x }) => tf.sqrt(x),
};
