import { dimsOf, type GraphNode } from '@swin/core';
import { conv2dDispatch } from '../../kernels/conv2d.js';
import type { ProgramStep } from '../program.js';
import type { StepBuildContext } from '../step-context.js';
import type { StepBuilder } from './step-builder.js';

/** conv2d written to `output`, NCHW, or NHWC when the planned transpose after it is fused in. */
export function conv2dNodeSteps(ctx: StepBuildContext, node: GraphNode<'conv2d'>, output: string, nhwc: boolean): ProgramStep[] {
  const { x, weight: w, bias } = ctx.graphInputs(node);
  const b = ctx.optional(bias);
  const { strides, pads, groups } = node.attrs;
  return [
    ctx.step('conv2d', [x, w, b], output, (env) => {
      const [nb, c, h, wd] = dimsOf(env.shape(x), 4, 'conv2d input');
      const [o, , kh, kw] = dimsOf(env.shape(w), 4, 'conv2d weight');
      const [sh, sw] = strides;
      const [pt, pl, pbm, pr] = pads;
      const geometry = {
        n: nb,
        c,
        h,
        w: wd,
        o,
        kh,
        kw,
        strides,
        pads,
        groups: groups ?? 1,
        oh: Math.floor((h + pt + pbm - kh) / sh) + 1,
        ow: Math.floor((wd + pl + pr - kw) / sw) + 1,
      };
      return [conv2dDispatch(env.float, ctx.resolve(x), ctx.resolve(w), b, output, geometry, nhwc)];
    }),
  ];
}

/** An unfused conv2d (NCHW out). */
export const conv2dSteps: StepBuilder<'conv2d'> = (ctx, node) => conv2dNodeSteps(ctx, node, node.output, false);
