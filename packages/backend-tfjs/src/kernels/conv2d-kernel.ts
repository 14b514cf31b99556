import * as tf from '@tensorflow/tfjs-core';
import type { OpAttrs } from '@swin/core';
import type { TfjsKernelContext, TfjsKernels } from './kernel-support.js';

/**
 * NCHW / OIHW convolution on tfjs, which convolves NHWC / HWIO: the filter is converted once per
 * weight (cached), the input and output are transposed per call. Depth-wise
 * convolutions run as one; other grouped ones as one convolution per group.
 */
function conv2d(ctx: TfjsKernelContext, x: tf.Tensor4D, w: tf.Tensor4D, bias: tf.Tensor | undefined, attrs: OpAttrs['conv2d']): tf.Tensor {
  const groups = attrs.groups ?? 1;
  const [pt, pl, pb, pr] = attrs.pads;
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [pt, pb], [pl, pr], [0, 0]];
  const filter = ctx.derived.get(w, 'hwio', (t) => tf.transpose(t, [2, 3, 1, 0])) as tf.Tensor4D;
  return tf.tidy(() => {
    const nhwc = tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D;
    let y: tf.Tensor4D;
    if (groups === 1) {
      y = tf.fused.conv2d({ x: nhwc, filter, strides: attrs.strides, pad, ...(bias ? { bias } : {}) }) as tf.Tensor4D;
    } else if (isDepthwise(w, groups)) {
      // One input and one output channel per group: a single depth-wise convolution, not `groups`
      // convolutions (CrossFormer++'s CPE and ACL have up to 1024+ channels). HWIO [kh, kw, C, 1]
      // is exactly depthwiseConv2d's [kh, kw, C, multiplier 1] filter. The fused variant takes no
      // explicit padding, so the bias is a separate add.
      y = tf.depthwiseConv2d(nhwc, tf.reshape(filter, [filter.shape[0], filter.shape[1], groups, 1]) as tf.Tensor4D, attrs.strides, pad) as tf.Tensor4D;
      if (bias) y = tf.add(y, bias) as tf.Tensor4D;
    } else {
      const xs = tf.split(nhwc, groups, 3) as tf.Tensor4D[];
      const fs = tf.split(filter, groups, 3) as tf.Tensor4D[];
      // tf.split made `groups` parts of both, so fs[g] exists for every g of xs.
      y = tf.concat(xs.map((xg, g) => tf.conv2d(xg, fs[g]!, attrs.strides, pad) as tf.Tensor4D), 3);
      if (bias) y = tf.add(y, bias) as tf.Tensor4D;
    }
    return tf.transpose(y, [0, 3, 1, 2]);
  });
}

/** OIHW weight [groups, 1, kh, kw]: every group maps one input channel to one output channel. */
function isDepthwise(w: tf.Tensor4D, groups: number): boolean {
  return w.shape[0] === groups && w.shape[1] === 1;
}

/** conv2d (the patch embedding; CrossFormer++'s depth-wise CPE and ACL). */
export function createConv2dKernels(ctx: TfjsKernelContext): TfjsKernels<'conv2d'> {
  return { conv2d: ({ x, weight, bias }, attrs) => conv2d(ctx, x as tf.Tensor4D, weight as tf.Tensor4D, bias, attrs) };
}
