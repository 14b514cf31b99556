import { resolveSlice, stridesOf } from '@swin/core';
import { stridedCopyDispatch } from '../../kernels/elementwise.js';
import { dotAxes, mulAxes } from '../../kernels/shape-math.js';
import type { StepBuilder } from './step-builder.js';

/** Slice as a strided copy from the first kept element, with the steps folded into the strides. */
export const sliceSteps: StepBuilder<'slice'> = (ctx, node, { x }) => {
  const out = node.output;
  return [
    ctx.step('slice', [x], out, (env) => {
      const s = env.shape(x);
      const st = stridesOf(s);
      const r = resolveSlice(s, node.attrs);
      const base = dotAxes(r.start, st, 'slice start');
      return [stridedCopyDispatch(env.element(out), env.float, ctx.resolve(x), out, r.size, mulAxes(st, r.step, 'slice step'), stridesOf(r.size), base, 0)];
    }),
  ];
};
