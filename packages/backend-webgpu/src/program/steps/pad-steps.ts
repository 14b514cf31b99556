import { shapeSize, stridesOf } from '@swin/core';
import { fillDispatch, stridedCopyDispatch } from '../../kernels/elementwise.js';
import { dotAxes } from '../../kernels/shape-math.js';
import type { StepBuilder } from './step-builder.js';

/** Constant pad: fill the output with the value, then copy the input to its offset. */
export const padSteps: StepBuilder<'pad'> = (ctx, node, { x }) => {
  const out = node.output;
  const { pads, value } = node.attrs;
  return [
    ctx.step('pad', [x], out, (env) => {
      const s = env.shape(x);
      const os = env.shape(out);
      const ost = stridesOf(os);
      const list = [fillDispatch(env.element(out), env.float, out, shapeSize(os), value ?? 0)];
      // The leading pads (one per axis) times the output strides: where the input's first element lands.
      const base = dotAxes(pads.slice(0, s.length), ost, 'pad');
      if (shapeSize(s) > 0) list.push(stridedCopyDispatch(env.element(out), env.float, ctx.resolve(x), out, s, stridesOf(s), ost, 0, base));
      return list;
    }),
  ];
};
