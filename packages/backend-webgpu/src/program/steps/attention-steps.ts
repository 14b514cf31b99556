import { dimAt, dimsOf } from '@swin/core';
import { attentionCoreDispatch } from '../../kernels/window-attention.js';
import { matmulDispatch } from '../../kernels/matmul.js';
import type { WindowMap } from '../../kernels/window-map.js';
import type { AttentionGroup } from '../fusion-plan.js';
import type { ProgramStep, StepEnv } from '../program.js';
import type { StepBuildContext } from '../step-context.js';
import type { StepBuilder } from './step-builder.js';
import { rolledWindowMap } from './window-layout-steps.js';

/**
 * Window attention as three steps: the qkv matmul (reading rows through the fused partition's
 * window map), the attention core (scores + bias + softmax + context per window and head), and
 * the projection matmul (writing rows through the fused reverse's map, plus the residual).
 */
export function attentionGroupSteps(ctx: StepBuildContext, g: AttentionGroup): ProgramStep[] {
  const node = g.attention;
  const { x, qkvWeight: qkvW, qkvBias, projWeight: projW, projBias, attnBias } = ctx.graphInputs(node);
  const xInfo = ctx.valueInfo(x);
  const [bw, n, c] = dimsOf(xInfo.shape, 3, 'windowAttention x');
  const heads = node.attrs.numHeads;
  const qkvName = `${g.output}::qkv`;
  const ctxName = `${g.output}::context`;
  ctx.addValue(qkvName, xInfo, [bw, n, 3 * c]);
  ctx.addValue(ctxName, xInfo, [bw, n, c]);
  const qkvK = ctx.kMajor(qkvW);
  const projK = ctx.kMajor(projW);
  const qb = ctx.optional(qkvBias);
  const pb = ctx.optional(projBias);
  const residual = g.residual ? ctx.resolve(g.residual) : undefined;
  const windowsOf = (env: StepEnv) => dimAt(env.shape(x), 0, 'windowAttention x');
  const aRows = (env: StepEnv): WindowMap | undefined => {
    const p = g.partition;
    if (!p) return undefined;
    const [, h, w] = dimsOf(env.shape(g.source), 4, 'windowPartition input');
    return rolledWindowMap(p.window, p.shift, p.gridHeight, p.gridWidth, h, w);
  };
  const outRows = (env: StepEnv): WindowMap | undefined => {
    const r = g.reverse;
    if (!r) return undefined;
    const [, h, w] = dimsOf(env.shape(g.output), 4, 'windowReverse output');
    return rolledWindowMap(r.window, r.shift, r.gridHeight, r.gridWidth, h, w);
  };
  return [
    ctx.step('attention.qkv', [g.source, qkvK ?? qkvW, qb], qkvName, (env) => {
      const map = aRows(env);
      return [
        matmulDispatch({
          float: env.float,
          tiling: env.tiling,
          a: ctx.resolve(g.source),
          b: qkvK ?? ctx.resolve(qkvW),
          transB: qkvK === undefined,
          ...(qb ? { bias: qb } : {}),
          ...(map ? { aRows: map } : {}),
          out: qkvName,
          m: windowsOf(env) * n,
          k: c,
          n: 3 * c,
        }),
      ];
    }),
    ctx.step('attention.core', [qkvName, attnBias], ctxName, (env) => [
      attentionCoreDispatch({
        float: env.float,
        qkv: qkvName,
        bias: ctx.resolve(attnBias),
        out: ctxName,
        windows: windowsOf(env),
        tokens: n,
        heads,
        headDim: c / heads,
        biasWindows: dimAt(env.shape(attnBias), 0, 'windowAttention bias'),
        scale: node.attrs.scale,
        tiling: env.tiling,
      }),
    ]),
    ctx.step('attention.proj', [ctxName, projK ?? projW, pb, residual], g.output, (env) => {
      const map = outRows(env);
      return [
        matmulDispatch({
          float: env.float,
          tiling: env.tiling,
          a: ctxName,
          b: projK ?? ctx.resolve(projW),
          transB: projK === undefined,
          ...(pb ? { bias: pb } : {}),
          ...(residual ? { residual } : {}),
          ...(map ? { outRows: map } : {}),
          out: g.output,
          m: windowsOf(env) * n,
          k: c,
          n: c,
        }),
      ];
    }),
  ];
}

/** An unfused windowAttention node (its input is its own rows). */
export const windowAttentionSteps: StepBuilder<'windowAttention'> = (ctx, node, { x }) =>
  attentionGroupSteps(ctx, { kind: 'attention', attention: node, source: x, output: node.output });
