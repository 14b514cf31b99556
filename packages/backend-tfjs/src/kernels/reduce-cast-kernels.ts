import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '@swin/core';
import { axisOf, type TfjsKernels } from './kernel-support.js';

/** Reductions and dtype casts (tfjs truncates float -> int32 toward zero, as the contract says). */
export const REDUCE_CAST_KERNELS: TfjsKernels<'reduceMean' | 'reduceSum' | 'cast'> = {
  reduceMean: ({ x }, attrs) => {
    return tf.mean(x, attrs.axes.map((a) => axisOf(a, x.rank)), attrs.keepDims);
  },
  reduceSum: ({ x }, attrs) => {
    return tf.sum(x, attrs.axes.map((a) => axisOf(a, x.rank)), attrs.keepDims);
  },
  cast: ({ x }, attrs) => {
    if (attrs.to === 'float16') throw new BackendError('UNSUPPORTED_DTYPE', 'tfjs has no float16 tensors: cast to float16 is unsupported');
    // tf.cast to the same dtype returns its input; a kernel must return a tensor it owns.
    return x.dtype === attrs.to ? tf.clone(x) : tf.cast(x, attrs.to);
  },
};
