import { layerNormDispatch, softmaxDispatch } from '../../kernels/row-norms.js';
import { sizeOf } from '../../kernels/shape-math.js';
import type { StepBuilder } from './step-builder.js';

/** LayerNorm over the last axis, one workgroup per row. */
export const layerNormSteps: StepBuilder<'layerNorm'> = (ctx, node, { x, gamma, beta }) => {
  const out = node.output;
  return [
    ctx.step('layerNorm', [x, gamma, beta], out, (env) => {
      const s = env.shape(x);
      const c = s[s.length - 1]!;
      return [layerNormDispatch(env.float, env.tiling, ctx.resolve(x), ctx.optional(gamma), ctx.optional(beta), out, sizeOf(s) / c, c, node.attrs.eps)];
    }),
  ];
};

/** Softmax over the last axis, one workgroup per row. */
export const softmaxSteps: StepBuilder<'softmax'> = (ctx, node, { x }) => {
  const out = node.output;
  return [
    ctx.step('softmax', [x], out, (env) => {
      const s = env.shape(x);
      const c = s[s.length - 1]!;
      return [softmaxDispatch(env.float, env.tiling, ctx.resolve(x), out, sizeOf(s) / c, c)];
    }),
  ];
};
