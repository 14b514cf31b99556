import { normalizeAxis } from '@swin/core';
import { reduceDispatch } from '../../kernels/reduce.js';
import type { StepBuilder } from './step-builder.js';

/** reduceMean / reduceSum over a set of axes: one dispatch. */
export const reduceSteps: StepBuilder<'reduceMean' | 'reduceSum'> = (ctx, node, { x }) => {
  const out = node.output;
  const { axes } = node.attrs;
  return [
    ctx.step(node.op, [x], out, (env) => {
      const s = env.shape(x);
      const set = new Set(axes.map((a) => normalizeAxis(a, s.length, node.op)));
      return [reduceDispatch(env.float, ctx.resolve(x), out, s, set, node.op === 'reduceMean')];
    }),
  ];
};
