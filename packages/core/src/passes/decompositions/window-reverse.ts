import { dimsOf } from '../../tensor/shape-dims.js';
import { cyclicRoll } from './cyclic-roll.js';
import type { Decomposition } from './decomposition.js';

/** [B*nW, wh*ww, C] -> [B,H,W,C], then roll by +shift. */
export const decomposeWindowReverse: Decomposition<'windowReverse'> = (b, inputs, attrs) => {
  let x = inputs.x;
  const [, , c] = dimsOf(x.shape, 3, 'windowReverse input');
  const [wh, ww] = attrs.window;
  const { height: h, width: w } = attrs;
  x = b.reshape(x, [-1, h / wh, w / ww, wh, ww, c]);
  x = b.transpose(x, [0, 1, 3, 2, 4, 5]);
  x = b.reshape(x, [-1, h, w, c]);
  x = cyclicRoll(b, x, attrs.shift[0], 1);
  return cyclicRoll(b, x, attrs.shift[1], 2);
};
