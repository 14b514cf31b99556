import type { GraphNode } from '@swin/core';
import { attr } from '../onnx/onnx-attributes.js';
import type { EmitTarget } from './emit-primitives.js';
import { sameTypeAs, type OnnxGraphEmitter, type OnnxValue } from './onnx-graph-emitter.js';
import { reshape } from './reshape.js';
import { rowBlock } from './weight-transforms.js';
import { emitInt8Matmul, quantizeActivations, type QuantizedActivations } from './emit-int8-linear.js';
import { quantizeWeightPerChannel } from './quantize-weights.js';
import { matmulTransB } from './emit-matmul.js';
import { headMergeIndices, headSplitIndices } from './token-permutations.js';

/**
 * Window attention for all windows and heads at once:
 *   q, k, v: one Gemm each over every token of every window ([B*nW*N, C] x [C, C]^T), with the qk
 *            scale folded into q's weight and bias at export;
 *   heads:   one Gather each on a [BW, N*nH, hd] view moves hd-wide rows to head-major order
 *            [BW, nH, N, hd] (onnxruntime runs Gather on every intra-op thread, Transpose on one);
 *            q @ k^T is MatMul over a last-two-axes Transpose of k, which onnxruntime fuses into
 *            FusedMatMul (transB inside the GEMM, no copy);
 *   bias:    the relative position bias and shift mask arrive folded into one constant
 *            [nWb, nH, N, N]; scores are viewed as [B, nWb, nH, N, N] so it broadcasts over images;
 *   output:  Softmax, MatMul with v, one Gather back to token-major rows, one Gemm for the projection.
 */
export function emitWindowAttention(em: OnnxGraphEmitter, node: GraphNode<'windowAttention'>, out: EmitTarget): void {
  const names = em.inputNames(node);
  const x = em.value(names.x);
  const [bw, n, c] = x.shape as [number, number, number];
  const nh = node.attrs.numHeads;
  const hd = c / nh;
  const dtype = x.dtype;
  const scale = node.attrs.scale;
  const { qkvWeight: qkvWName, projWeight: projWName, attnBias: biasName } = names;
  const qkvBName = names.qkvBias ?? '';
  const projBName = names.projBias ?? '';
  const qkvWConst = em.constantOf(qkvWName);
  const qkvBConst = qkvBName === '' ? undefined : em.constantOf(qkvBName);
  const foldWeights = qkvWConst !== undefined && (qkvBName === '' || qkvBConst !== undefined);

  const tokens = reshape(em, x, [-1, c]);
  const rows = bw * n;
  let quantizedTokens: QuantizedActivations | undefined;
  /** q (i = 0, qk scale folded in), k or v for every token: [BW*N, C]. */
  const project = (i: number, what: string): OnnxValue => {
    const target = { dtype, shape: [rows, c] };
    if (!foldWeights) {
      const rowsOf = (v: OnnxValue) =>
        em.node('Slice', [v, em.int64s([i * c]), em.int64s([(i + 1) * c]), em.int64s([0])], { dtype: v.dtype, shape: [c, ...v.shape.slice(1)] });
      const y = em.node('Gemm', [tokens, rowsOf(em.value(qkvWName)), qkvBName === '' ? undefined : rowsOf(em.value(qkvBName))], target, [attr.int('transB', 1)]);
      return i === 0 ? em.node('Mul', [y, em.scalar(scale, dtype)], target) : y;
    }
    const s = i === 0 ? scale : 1;
    const w = rowBlock(qkvWConst!, i * c, (i + 1) * c, s);
    const b = qkvBConst ? em.initializer(`${qkvBName}/${what}`, rowBlock(qkvBConst, i * c, (i + 1) * c, s)) : undefined;
    if (em.options.int8Weights) {
      // q, k and v read one quantized copy of the tokens (onnxruntime: one quantization, three integer GEMMs).
      quantizedTokens ??= quantizeActivations(em, tokens);
      return emitInt8Matmul(em, quantizedTokens, quantizeWeightPerChannel(w), b, target);
    }
    return em.node('Gemm', [tokens, em.initializer(`${qkvWName}/${what}`, w), b], target, [attr.int('transB', 1)]);
  };
  // Heads move as hd-wide rows of a [BW, N*nH, hd] view: one Gather each way (see headSplitIndices);
  // the split's [nH, N] index table makes the Gather's output [BW, nH, N, hd] directly.
  const rowsView = [-1, n * nh, hd];
  const heads = (i: number, what: string): OnnxValue => {
    const view = reshape(em, project(i, what), rowsView);
    const idx = em.indices(`heads:${n}x${nh}`, () => headSplitIndices(n, nh), [nh, n]);
    return em.node('Gather', [view, idx], { dtype, shape: [bw, nh, n, hd] }, [attr.int('axis', 1)]);
  };
  const q = heads(0, 'q'); // [BW, nH, N, hd]
  const k = heads(1, 'k'); // [BW, nH, N, hd]
  const v = heads(2, 'v'); // [BW, nH, N, hd]

  const scores = matmulTransB(em, q, k, { dtype, shape: [bw, nh, n, n] });
  const bias = em.value(biasName);
  const nWb = bias.shape[0]!;
  let probs: OnnxValue;
  if (nWb === 1) {
    probs = em.node('Softmax', [em.node('Add', [scores, bias], sameTypeAs(scores))], sameTypeAs(scores), [attr.int('axis', -1)]);
  } else {
    // One bias per window position: view scores per image so the [nW, nH, N, N] constant broadcasts.
    const perImage = reshape(em, scores, [-1, nWb, nh, n, n]);
    const biased = em.node('Add', [perImage, bias], sameTypeAs(perImage));
    probs = reshape(em, em.node('Softmax', [biased], sameTypeAs(perImage), [attr.int('axis', -1)]), [-1, nh, n, n]);
  }
  const context = em.node('MatMul', [probs, v], { dtype, shape: [bw, nh, n, hd] });
  const contextRows = reshape(em, context, rowsView);
  const mergeIdx = em.indices(`heads-merge:${n}x${nh}`, () => headMergeIndices(n, nh));
  const flat = reshape(em, em.node('Gather', [contextRows, mergeIdx], sameTypeAs(contextRows), [attr.int('axis', 1)]), [-1, c]);
  const projB = projBName === '' ? undefined : em.value(projBName);
  const projWConst = em.constantOf(projWName);
  const projected =
    em.options.int8Weights && projWConst
      ? emitInt8Matmul(em, quantizeActivations(em, flat), quantizeWeightPerChannel(projWConst), projB, { dtype, shape: [rows, c] })
      : em.node('Gemm', [flat, em.value(projWName), projB], { dtype, shape: [rows, c] }, [attr.int('transB', 1)]);
  reshape(em, projected, [-1, n, c], out);
}
