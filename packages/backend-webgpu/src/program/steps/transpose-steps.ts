import { stridedCopyDispatch } from '../../kernels/elementwise.js';
import { contiguousStrides } from '../../kernels/shape-math.js';
import type { StepBuilder } from './step-builder.js';

/** Transpose as a strided copy: output axis i reads input axis perm[i]'s stride. */
export const transposeSteps: StepBuilder<'transpose'> = (ctx, node, { x }) => {
  const out = node.output;
  const { perm } = node.attrs;
  return [
    ctx.step('transpose', [x], out, (env) => {
      const st = contiguousStrides(env.shape(x));
      const os = env.shape(out);
      return [stridedCopyDispatch(env.element(out), env.float, ctx.resolve(x), out, os, perm.map((p) => st[p]!), contiguousStrides(os), 0, 0)];
    }),
  ];
};
