import * as tf from '@tensorflow/tfjs-core';
import { BackendError, dimAt, resolveSlice } from '@swin/core';
import { axisOf, type TfjsKernels } from './kernel-support.js';

/** Python slice semantics (negative and clamped bounds via core's resolveSlice); unit steps use the cheaper tf.slice. */
function sliceTensor(x: tf.Tensor, attrs: Parameters<typeof resolveSlice>[1]): tf.Tensor {
  const { start, step, size } = resolveSlice(x.shape, attrs);
  if (step.every((s) => s === 1)) return tf.slice(x, start, size);
  const end = start.map((s, a) => {
    const n = dimAt(size, a, 'slice size');
    return n === 0 ? s : s + (n - 1) * dimAt(step, a, 'slice step') + 1;
  });
  return tf.stridedSlice(x, start, end, step);
}

/** numpy take: negative indices count from the end (tfjs gather has no such rule). */
function gatherTake(data: tf.Tensor, indices: tf.Tensor, axisRaw: number): tf.Tensor {
  const axis = axisOf(axisRaw, data.rank);
  const dim = dimAt(data.shape, axis, 'gather data');
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
    const pads = attrs.pads;
    if (pads.length !== 2 * r) throw new BackendError('BACKEND_FAILURE', `tfjs pad: ${pads.length} pads for rank ${r}`);
    // pads holds 2r entries (checked above): a < r indexes both halves in range.
    const paddings = Array.from({ length: r }, (_, a): [number, number] => [pads[a]!, pads[a + r]!]);
    return tf.pad(x, paddings, attrs.value ?? 0);
  },
  gather: ({ data, indices }, attrs) => gatherTake(data, indices, attrs.axis),
};
