import { dimsOf } from '../../tensor/shape-dims.js';
import type { Decomposition } from './decomposition.js';

/** Zero-pad odd sizes, then concat the four 2x2 phases in the official order on channels. */
export const decomposePatchMerging: Decomposition<'patchMerging'> = (b, inputs) => {
  let x = inputs.x;
  const [, h, w] = dimsOf(x.shape, 4, 'patchMerging input');
  if (h % 2 || w % 2) x = b.pad(x, [0, 0, 0, 0, 0, h % 2, w % 2, 0], 0, 'pad');
  const [, hp, wp] = dimsOf(x.shape, 4, 'patchMerging padded input');
  // Official order: x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2] (row phase varies fastest).
  const phases: [number, number][] = [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ];
  const parts = phases.map(([dy, dx]) =>
    b.slice(x, { starts: [dy, dx], ends: [hp, wp], axes: [1, 2], steps: [2, 2] }, `phase${dy}${dx}`),
  );
  return b.concat(parts, 3, 'merged');
};
