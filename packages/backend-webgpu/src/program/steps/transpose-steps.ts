import { dimAt, stridesOf } from '@swin/core';
import { stridedCopyDispatch } from '../../kernels/elementwise.js';
import type { StepBuilder } from './step-builder.js';

/** Transpose as a strided copy: output axis i reads input axis perm[i]'s stride. */
export const transposeSteps: StepBuilder<'transpose'> = (ctx, node, { x }) => {
  const out = node.output;
  const { perm } = node.attrs;
  return [
    ctx.step('transpose', [x], out, (env) => {
      const st = stridesOf(env.shape(x));
      const os = env.shape(out);
      return [stridedCopyDispatch(env.element(out), env.float, ctx.resolve(x), out, os, perm.map((p) => dimAt(st, p, 'transpose perm')), stridesOf(os), 0, 0)];
    }),
  ];
};
