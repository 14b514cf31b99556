import { fillDispatch, stridedCopyDispatch } from '../../kernels/elementwise.js';
import { contiguousStrides, sizeOf } from '../../kernels/shape-math.js';
import type { StepBuilder } from './step-builder.js';

/** Constant pad: fill the output with the value, then copy the input to its offset. */
export const padSteps: StepBuilder<'pad'> = (ctx, node, { x }) => {
  const out = node.output;
  const { pads, value } = node.attrs;
  return [
    ctx.step('pad', [x], out, (env) => {
      const s = env.shape(x);
      const os = env.shape(out);
      const ost = contiguousStrides(os);
      const list = [fillDispatch(env.element(out), env.float, out, sizeOf(os), value ?? 0)];
      const base = s.reduce((acc, _, i) => acc + pads[i]! * ost[i]!, 0);
      if (sizeOf(s) > 0) list.push(stridedCopyDispatch(env.element(out), env.float, ctx.resolve(x), out, s, contiguousStrides(s), ost, 0, base));
      return list;
    }),
  ];
};
