import { dimAt, shapeSize } from '@swin/core';
import { layerNormDispatch, softmaxDispatch } from '../../kernels/row-norms.js';
import type { StepBuilder } from './step-builder.js';

/** LayerNorm over the last axis, one workgroup per row. */
export const layerNormSteps: StepBuilder<'layerNorm'> = (ctx, node, { x, gamma, beta }) => {
  const out = node.output;
  return [
    ctx.step('layerNorm', [x, gamma, beta], out, (env) => {
      const s = env.shape(x);
      const c = dimAt(s, -1, 'layerNorm input');
      return [layerNormDispatch(env.float, env.tiling, ctx.resolve(x), ctx.optional(gamma), ctx.optional(beta), out, shapeSize(s) / c, c, node.attrs.eps)];
    }),
  ];
};

/** Softmax over the last axis, one workgroup per row. */
export const softmaxSteps: StepBuilder<'softmax'> = (ctx, node, { x }) => {
  const out = node.output;
  return [
    ctx.step('softmax', [x], out, (env) => {
      const s = env.shape(x);
      const c = dimAt(s, -1, 'softmax input');
      return [softmaxDispatch(env.float, env.tiling, ctx.resolve(x), out, shapeSize(s) / c, c)];
    }),
  ];
};
