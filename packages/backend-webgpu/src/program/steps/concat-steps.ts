import { normalizeAxis } from '@swin/core';
import { stridedCopyDispatch } from '../../kernels/elementwise.js';
import type { DispatchSpec } from '../../kernels/kernel-types.js';
import { contiguousStrides, sizeOf } from '../../kernels/shape-math.js';
import type { StepBuilder } from './step-builder.js';

/** Concat as one strided copy per (non-empty) input into its offset along the axis. */
export const concatSteps: StepBuilder<'concat'> = (ctx, node, { xs }) => {
  const out = node.output;
  return [
    ctx.step('concat', xs, out, (env) => {
      const os = env.shape(out);
      const axis = normalizeAxis(node.attrs.axis, os.length, 'concat');
      const ost = contiguousStrides(os);
      const list: DispatchSpec[] = [];
      let offset = 0;
      for (const i of xs) {
        const s = env.shape(i);
        if (sizeOf(s) > 0) list.push(stridedCopyDispatch(env.element(out), env.float, ctx.resolve(i), out, s, contiguousStrides(s), ost, 0, offset * ost[axis]!));
        offset += s[axis]!;
      }
      return list;
    }),
  ];
};
