import { dimsOf } from '../../tensor/shape-dims.js';
import { cyclicRoll } from './cyclic-roll.js';
import type { Decomposition } from './decomposition.js';

/** Roll by -shift, then [B,H,W,C] -> [B*nW, wh*ww, C]. */
export const decomposeWindowPartition: Decomposition<'windowPartition'> = (b, inputs, attrs) => {
  let x = inputs.x;
  const [, h, w, c] = dimsOf(x.shape, 4, 'windowPartition input');
  const [wh, ww] = attrs.window;
  x = cyclicRoll(b, x, -attrs.shift[0], 1);
  x = cyclicRoll(b, x, -attrs.shift[1], 2);
  x = b.reshape(x, [-1, h / wh, wh, w / ww, ww, c]);
  x = b.transpose(x, [0, 1, 3, 2, 4, 5]);
  return b.reshape(x, [-1, wh * ww, c]);
};
