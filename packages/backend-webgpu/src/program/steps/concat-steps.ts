import { dimAt, normalizeAxis, shapeSize, stridesOf } from '@swin/core';
import { stridedCopyDispatch } from '../../kernels/elementwise.js';
import type { DispatchSpec } from '../../kernels/kernel-types.js';
import type { StepBuilder } from './step-builder.js';

/** Concat as one strided copy per (non-empty) input into its offset along the axis. */
export const concatSteps: StepBuilder<'concat'> = (ctx, node, { xs }) => {
  const out = node.output;
  return [
    ctx.step('concat', xs, out, (env) => {
      const os = env.shape(out);
      const axis = normalizeAxis(node.attrs.axis, os.length, 'concat');
      const ost = stridesOf(os);
      const list: DispatchSpec[] = [];
      let offset = 0;
      for (const i of xs) {
        const s = env.shape(i);
        if (shapeSize(s) > 0) list.push(stridedCopyDispatch(env.element(out), env.float, ctx.resolve(i), out, s, stridesOf(s), ost, 0, offset * dimAt(ost, axis, 'concat output strides')));
        offset += dimAt(s, axis, 'concat input');
      }
      return list;
    }),
  ];
};
