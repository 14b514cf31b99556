import { patchMergingDispatch, windowPartitionDispatch, windowReverseDispatch } from '../../kernels/window-layout.js';
import type { WindowMap } from '../../kernels/window-map.js';
import { sizeOf } from '../../kernels/shape-math.js';
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
      const [, h, w, c] = env.shape(x) as [number, number, number, number];
      const os = env.shape(out);
      return [windowPartitionDispatch(env.float, ctx.resolve(x), out, os[0]! * os[1]!, c, rolledWindowMap(window, shift, h, w, h, w))];
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
      const c = os[3]!;
      return [windowReverseDispatch(env.float, ctx.resolve(x), out, sizeOf(os) / c, c, rolledWindowMap(window, shift, height, width, height, width))];
    }),
  ];
};

/** 2x2 patch merging (zero-padding odd sizes): one dispatch. */
export const patchMergingSteps: StepBuilder<'patchMerging'> = (ctx, node, { x }) => {
  const out = node.output;
  return [
    ctx.step('patchMerging', [x], out, (env) => {
      const [b, h, w, c] = env.shape(x) as [number, number, number, number];
      return [patchMergingDispatch(env.float, ctx.resolve(x), out, b, h, w, c)];
    }),
  ];
};
