import { dimAt, dimsOf, shapeSize } from '@swin/core';
import { patchMergingDispatch, windowPartitionDispatch, windowReverseDispatch } from '../../kernels/window-layout.js';
import type { WindowMap } from '../../kernels/window-map.js';
import { mod, type StepBuilder } from './step-builder.js';

/**
 * The row map of windows over a (gridHeight x gridWidth) map rolled by `shift`, read from or
 * written to a (height x width) one: the shift becomes the equivalent forward roll.
 */
export function rolledWindowMap(
  window: readonly [number, number],
  shift: readonly [number, number],
  gridHeight: number,
  gridWidth: number,
  height: number,
  width: number,
): WindowMap {
  return { window, shift: [mod(shift[0], gridHeight), mod(shift[1], gridWidth)], gridHeight, gridWidth, height, width };
}

/** Roll + partition into windows: one gather-style dispatch. */
export const windowPartitionSteps: StepBuilder<'windowPartition'> = (ctx, node, { x }) => {
  const out = node.output;
  const { window, shift } = node.attrs;
  return [
    ctx.step('windowPartition', [x], out, (env) => {
      const [, h, w, c] = dimsOf(env.shape(x), 4, 'windowPartition input');
      const [windows, tokens] = dimsOf(env.shape(out), 3, 'windowPartition output');
      return [windowPartitionDispatch(env.float, ctx.resolve(x), out, windows * tokens, c, rolledWindowMap(window, shift, h, w, h, w))];
    }),
  ];
};

/** Windows back to the map + roll back: one scatter-style dispatch. */
export const windowReverseSteps: StepBuilder<'windowReverse'> = (ctx, node, { x }) => {
  const out = node.output;
  const { window, shift, height, width } = node.attrs;
  return [
    ctx.step('windowReverse', [x], out, (env) => {
      const os = env.shape(out);
      const c = dimAt(os, 3, 'windowReverse output');
      return [windowReverseDispatch(env.float, ctx.resolve(x), out, shapeSize(os) / c, c, rolledWindowMap(window, shift, height, width, height, width))];
    }),
  ];
};

/** 2x2 patch merging (zero-padding odd sizes): one dispatch. */
export const patchMergingSteps: StepBuilder<'patchMerging'> = (ctx, node, { x }) => {
  const out = node.output;
  return [
    ctx.step('patchMerging', [x], out, (env) => {
      const [b, h, w, c] = dimsOf(env.shape(x), 4, 'patchMerging input');
      return [patchMergingDispatch(env.float, ctx.resolve(x), out, b, h, w, c)];
    }),
  ];
};
