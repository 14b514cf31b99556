import { resolveSlice } from '@swin/core';
import { stridedCopyDispatch } from '../../kernels/elementwise.js';
import { contiguousStrides } from '../../kernels/shape-math.js';
import type { StepBuilder } from './step-builder.js';

/** Slice as a strided copy from the first kept element, with the steps folded into the strides. */
export const sliceSteps: StepBuilder<'slice'> = (ctx, node, { x }) => {
  const out = node.output;
  return [
    ctx.step('slice', [x], out, (env) => {
      const s = env.shape(x);
      const st = contiguousStrides(s);
      const r = resolveSlice(s, node.attrs);
      const base = r.start.reduce((acc, v, i) => acc + v * st[i]!, 0);
      return [stridedCopyDispatch(env.element(out), env.float, ctx.resolve(x), out, r.size, st.map((v, i) => v * r.step[i]!), contiguousStrides(r.size), base, 0)];
    }),
  ];
};
