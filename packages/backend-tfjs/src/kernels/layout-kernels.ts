import * as tf from '@tensorflow/tfjs-core';
import { BackendError, resolveSlice } from '@swin/core';
import { axisOf, type TfjsKernels } from './kernel-support.js';

/** Python slice semantics (negative and clamped bounds via core's resolveSlice); unit steps use the cheaper tf.slice. */
function sliceTensor(x: tf.Tensor, attrs: Parameters<typeof resolveSlice>[1]): tf.Tensor {
  const { start, step, size } = resolveSlice(x.shape, attrs);
  if (step.every((s) => s === 1)) return tf.slice(x, start, size);
  const end = start.map((s, a) => (size[a] === 0 ? s : s + (size[a]! - 1) * step[a]! + 1));
  return tf.stridedSlice(x, start, end, step);
}

/** numpy take: negative indices count from the end (tfjs gather has no such rule). */
function gatherTake(data: tf.Tensor, indices: tf.Tensor, axisRaw: number): tf.Tensor {
  const axis = axisOf(axisRaw, data.rank);
  const dim = data.shape[axis]!;
  return tf.tidy(() => tf.gather(data, tf.where(tf.less(indices, 0), tf.add(indices, tf.scalar(dim, 'int32')), indices), axis));
}

/** Data movement: exact by construction. */
export const LAYOUT_KERNELS: TfjsKernels<'reshape' | 'transpose' | 'slice' | 'concat' | 'pad' | 'gather'> = {
  reshape: ({ x }, attrs) => tf.reshape(x, attrs.shape),
  transpose: ({ x }, attrs) => tf.transpose(x, attrs.perm),
  slice: ({ x }, attrs) => sliceTensor(x, attrs),
  concat: ({ xs }, attrs) => {
    const first = xs[0];
    if (!first) throw new BackendError('BACKEND_FAILURE', 'tfjs concat: no inputs');
    return tf.concat([...xs], axisOf(attrs.axis, first.rank));
  },
  pad: ({ x }, attrs) => {
    const r = x.rank;
    const paddings = Array.from({ length: r }, (_, a) => [attrs.pads[a]!, attrs.pads[a + r]!] as [number, number]);
    return tf.pad(x, paddings, attrs.value ?? 0);
  },
  gather: ({ data, indices }, attrs) => gatherTake(data, indices, attrs.axis),
};
