import * as tf from '@tensorflow/tfjs-core';
import { dimAt } from '@swin/core';

/** torch.roll along one axis: tfjs has no roll, so the tail slice moves to the front with a concat. */
export function roll(x: tf.Tensor, shift: number, axis: number): tf.Tensor {
  const dim = dimAt(x.shape, axis, 'roll');
  const s = ((shift % dim) + dim) % dim;
  if (s === 0) return x;
  const begin = x.shape.map(() => 0);
  const headSize = [...x.shape];
  headSize[axis] = dim - s;
  const tailBegin = [...begin];
  tailBegin[axis] = dim - s;
  const tailSize = [...x.shape];
  tailSize[axis] = s;
  return tf.concat([tf.slice(x, tailBegin, tailSize), tf.slice(x, begin, headSize)], axis);
}
