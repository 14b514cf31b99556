import { normalizeAxis } from '@swin/core';
import { gatherDispatch } from '../../kernels/elementwise.js';
import { sizeOf } from '../../kernels/shape-math.js';
import type { StepBuilder } from './step-builder.js';

/** numpy.take along an axis: one dispatch over [outer, indices, inner]. */
export const gatherSteps: StepBuilder<'gather'> = (ctx, node, { data, indices }) => {
  const out = node.output;
  return [
    ctx.step('gather', [data, indices], out, (env) => {
      const s = env.shape(data);
      const axis = normalizeAxis(node.attrs.axis, s.length, 'gather');
      return [gatherDispatch(env.element(out), env.float, ctx.resolve(data), ctx.resolve(indices), out, sizeOf(s.slice(0, axis)), s[axis]!, sizeOf(env.shape(indices)), sizeOf(s.slice(axis + 1)))];
    }),
  ];
};
