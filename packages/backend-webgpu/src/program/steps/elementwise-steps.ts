import { shapeSize } from '@swin/core';
import { binaryDispatch, castDispatch, unaryDispatch, type BinaryOp, type UnaryOp } from '../../kernels/elementwise.js';
import type { StepBuilder } from './step-builder.js';

/** add / sub / mul / div with numpy broadcasting: one dispatch. */
export const binarySteps: StepBuilder<BinaryOp> = (ctx, node, { a, b }) => {
  const out = node.output;
  return [
    ctx.step(node.op, [a, b], out, (env) => [
      binaryDispatch(node.op, env.element(out), env.float, ctx.resolve(a), env.shape(a), ctx.resolve(b), env.shape(b), out, env.shape(out)),
    ]),
  ];
};

/** gelu / relu / sigmoid / exp / sqrt: one dispatch. */
export const unarySteps: StepBuilder<UnaryOp> = (ctx, node, { x }) => {
  const out = node.output;
  return [ctx.step(node.op, [x], out, (env) => [unaryDispatch(node.op, env.float, ctx.resolve(x), out, shapeSize(env.shape(out)))])];
};

/** Element type conversion: one dispatch. */
export const castSteps: StepBuilder<'cast'> = (ctx, node, { x }) => {
  const out = node.output;
  return [ctx.step('cast', [x], out, (env) => [castDispatch(env.element(x), env.element(out), env.float, ctx.resolve(x), out, shapeSize(env.shape(out)))])];
};
