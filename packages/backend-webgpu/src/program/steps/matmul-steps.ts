import { dimAt } from '@swin/core';
import { matmulDispatch } from '../../kernels/matmul.js';
import { broadcastStrides } from '../../kernels/shape-math.js';
import type { StepBuilder } from './step-builder.js';

/** Batched a @ b (b transposed with transB), batch dims broadcast through strides: one dispatch. */
export const matmulSteps: StepBuilder<'matmul'> = (ctx, node, { a, b }) => {
  const out = node.output;
  const transB = node.attrs.transB ?? false;
  return [
    ctx.step('matmul', [a, b], out, (env) => {
      const as = env.shape(a);
      const bs = env.shape(b);
      const os = env.shape(out);
      const m = dimAt(as, -2, 'matmul a');
      const k = dimAt(as, -1, 'matmul a');
      const n = dimAt(os, -1, 'matmul output');
      const outBatch = os.slice(0, -2);
      return [
        matmulDispatch({
          float: env.float,
          tiling: env.tiling,
          a: ctx.resolve(a),
          b: ctx.resolve(b),
          out,
          m,
          k,
          n,
          transB,
          batchDims: outBatch,
          aBatchStrides: broadcastStrides(as.slice(0, -2), outBatch).map((s) => s * m * k),
          bBatchStrides: broadcastStrides(bs.slice(0, -2), outBatch).map((s) => s * k * n),
        }),
      ];
    }),
  ];
};
