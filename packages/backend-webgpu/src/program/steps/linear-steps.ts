import { dimAt, shapeSize } from '@swin/core';
import { matmulDispatch } from '../../kernels/matmul.js';
import type { LinearGroup } from '../fusion-plan.js';
import type { ProgramStep } from '../program.js';
import type { StepBuildContext } from '../step-context.js';
import type { StepBuilder } from './step-builder.js';

/** A linear with its fused epilogue (bias, GELU, residual add) as one matmul on the K-major weight. */
export function linearGroupSteps(ctx: StepBuildContext, g: LinearGroup): ProgramStep[] {
  const { x, weight: w, bias } = ctx.graphInputs(g.linear);
  const wk = ctx.kMajor(w);
  const b = ctx.optional(bias);
  const residual = g.residual ? ctx.resolve(g.residual) : undefined;
  return [
    ctx.step('matmul', [x, wk ?? w, b, residual], g.output, (env) => {
      const xs = env.shape(x);
      const k = dimAt(xs, -1, 'linear input');
      const n = dimAt(env.shape(w), 0, 'linear weight');
      return [
        matmulDispatch({
          float: env.float,
          tiling: env.tiling,
          a: ctx.resolve(x),
          b: wk ?? ctx.resolve(w),
          transB: wk === undefined,
          ...(b ? { bias: b } : {}),
          ...(residual ? { residual } : {}),
          ...(g.gelu ? { activation: 'gelu' as const } : {}),
          out: g.output,
          m: shapeSize(xs) / k,
          k,
          n,
        }),
      ];
    }),
  ];
}

/** An unfused linear. */
export const linearSteps: StepBuilder<'linear'> = (ctx, node) => linearGroupSteps(ctx, { kind: 'linear', linear: node, gelu: false, output: node.output });
