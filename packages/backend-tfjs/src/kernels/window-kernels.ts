import * as tf from '@tensorflow/tfjs-core';
import { dimAt, dimsOf } from '@swin/core';
import { roll } from './cyclic-roll.js';
import type { TfjsKernels } from './kernel-support.js';

/**
 * Window partition and reverse as a roll plus one rank-4 transpose: [B, H, W, C] is viewed as
 * [B * H/wh, wh, W/ww, ww * C], so swapping axes 1 and 2 lays windows out row-major with their
 * tokens contiguous. Rank-4 keeps tfjs on its fast transpose paths; a gather of token indices is
 * 10-30x slower on tfjs-wasm.
 */
export const WINDOW_KERNELS: TfjsKernels<'windowPartition' | 'windowReverse' | 'patchMerging'> = {
  windowPartition: ({ x }, attrs) => {
    const [b, h, w, c] = dimsOf(x.shape, 4, 'windowPartition input');
    const [wh, ww] = attrs.window;
    return tf.tidy(() => {
      const rolled = roll(roll(x, -attrs.shift[0], 1), -attrs.shift[1], 2);
      const t = tf.transpose(tf.reshape(rolled, [(b * h) / wh, wh, w / ww, ww * c]), [0, 2, 1, 3]);
      return tf.reshape(t, [-1, wh * ww, c]);
    });
  },
  windowReverse: ({ x }, attrs) => {
    const c = dimAt(x.shape, 2, 'windowReverse input');
    const [wh, ww] = attrs.window;
    const { height: h, width: w } = attrs;
    return tf.tidy(() => {
      const t = tf.transpose(tf.reshape(x, [-1, w / ww, wh, ww * c]), [0, 2, 1, 3]);
      const map = tf.reshape(t, [-1, h, w, c]);
      return roll(roll(map, attrs.shift[0], 1), attrs.shift[1], 2);
    });
  },
  patchMerging: ({ x }) => {
    const [b, h, w, c] = dimsOf(x.shape, 4, 'patchMerging input');
    return tf.tidy(() => {
      const padded = h % 2 || w % 2 ? tf.pad(x, [[0, 0], [0, h % 2], [0, w % 2], [0, 0]]) : x;
      const [hp, wp] = [h + (h % 2), w + (w % 2)];
      // [B*H/2, dy, W/2, dx, C] -> [B*H/2, W/2, dx, dy, C]: channels in the official phase order
      // x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2] (row phase dy varies fastest).
      const t = tf.transpose(tf.reshape(padded, [(b * hp) / 2, 2, wp / 2, 2, c]), [0, 2, 3, 1, 4]);
      return tf.reshape(t, [b, hp / 2, wp / 2, 4 * c]);
    });
  },
};
