import * as tf from '@tensorflow/tfjs-core';
import { dimAt } from '@swin/core';
import type { TfjsKernelContext, TfjsKernels } from './kernel-support.js';

/** w^T, cached per weight: tfjs-wasm multiplies by a [K, N] right operand ~10x faster than by a transposed one. */
export function transposedWeight(ctx: TfjsKernelContext, w: tf.Tensor): tf.Tensor {
  return ctx.derived.get(w, 'transpose', (t) => tf.transpose(t));
}

/**
 * x [..., K] @ w2d^T (+ bias) as one rank-2 product: tfjs-wasm sends rank-2, batch-1 products to
 * XNNPACK and everything batched to a slow loop, so the rows are flattened first.
 */
export function linearRows(ctx: TfjsKernelContext, x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor | undefined): tf.Tensor {
  const k = dimAt(x.shape, -1, 'linear input');
  const n = dimAt(w.shape, 0, 'linear weight');
  const wT = transposedWeight(ctx, w);
  return tf.tidy(() => {
    const rows = tf.reshape(x, [-1, k]) as tf.Tensor2D;
    const y = bias ? tf.fused.matMul({ a: rows, b: wT as tf.Tensor2D, bias }) : tf.matMul(rows, wT as tf.Tensor2D);
    return tf.reshape(y, [...x.shape.slice(0, -1), n]);
  });
}

/**
 * tfjs-wasm's batched matmul mis-sizes its output when both operands broadcast batch dims
 * ([2,1,M,K] @ [3,K,N]), so differing batch shapes are broadcast explicitly first.
 */
function batchedMatmul(a: tf.Tensor, b: tf.Tensor, transB: boolean): tf.Tensor {
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  if (batchA.length === batchB.length && batchA.every((d, i) => d === batchB[i])) return tf.matMul(a, b, false, transB);
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(batchA, batchB);
  return tf.tidy(() => tf.matMul(tf.broadcastTo(a, [...batch, ...a.shape.slice(-2)]), tf.broadcastTo(b, [...batch, ...b.shape.slice(-2)]), false, transB));
}

/** Batched matmul with broadcasting; a rank-2 right operand takes the rank-2 fast path. */
export function createMatmulKernels(ctx: TfjsKernelContext): TfjsKernels<'matmul' | 'linear'> {
  return {
    matmul: ({ a, b }, attrs) => {
      const transB = attrs.transB ?? false;
      if (b.rank === 2) return transB ? linearRows(ctx, a, b, undefined) : tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(a, [-1, dimAt(a.shape, -1, 'matmul a')]) as tf.Tensor2D, b as tf.Tensor2D), [...a.shape.slice(0, -1), dimAt(b.shape, 1, 'matmul b')]));
      return batchedMatmul(a, b, transB);
    },
    linear: ({ x, weight, bias }) => linearRows(ctx, x, weight, bias),
  };
}
