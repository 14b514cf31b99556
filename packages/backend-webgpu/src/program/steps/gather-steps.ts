import { dimAt, normalizeAxis, shapeSize } from '@swin/core';
import { gatherDispatch } from '../../kernels/elementwise.js';
import type { StepBuilder } from './step-builder.js';

/** numpy.take along an axis: one dispatch over [outer, indices, inner]. */
export const gatherSteps: StepBuilder<'gather'> = (ctx, node, { data, indices }) => {
  const out = node.output;
  return [
    ctx.step('gather', [data, indices], out, (env) => {
      const s = env.shape(data);
      const axis = normalizeAxis(node.attrs.axis, s.length, 'gather');
      return [gatherDispatch(env.element(out), env.float, ctx.resolve(data), ctx.resolve(indices), out, shapeSize(s.slice(0, axis)), dimAt(s, axis, 'gather data'), shapeSize(env.shape(indices)), shapeSize(s.slice(axis + 1)))];
    }),
  ];
};
