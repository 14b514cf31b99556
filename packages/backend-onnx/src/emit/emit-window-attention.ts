import { dimAt, dimsOf, type GraphNode } from '@swin/core';
import { attr } from '../onnx/onnx-attributes.js';
import type { EmitTarget } from './emit-primitives.js';
import { sameTypeAs, type OnnxGraphEmitter, type OnnxValue } from './onnx-graph-emitter.js';
import { reshape } from './reshape.js';
import { foldValueBias, rowBlock, scaleRows } from './weight-transforms.js';
import { emitGemmThenBias } from './emit-linear.js';
import { emitInt8Matmul, quantizeActivations } from './emit-int8-linear.js';
import { quantizeWeightPerChannel } from './quantize-weights.js';
import { matmulTransB } from './emit-matmul.js';
import { headMergeIndices, headSplitIndices } from './token-permutations.js';

/**
 * Window attention for all windows and heads at once:
 *   q, k, v: one Gemm over every token of every window ([B*nW*N, C] x [3C, C]^T), with the qk
 *            scale folded into q's rows of the weight and bias at export;
 *   biases:  float, with constant weights: the Gemm has no bias input (see emitLinear). k's bias is
 *            dropped: it adds q_i . b_k to every score of row i, a constant per row, which softmax
 *            removes. v's bias is folded into the projection's: attn rows sum to 1, so
 *            attn @ (v + b_v) = attn @ v + b_v, and proj(b_v) is a constant. q's bias is added to q
 *            alone after its head Gather (a third of the qkv output). int8: the bias stays inside
 *            the fused integer GEMM;
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
  const [bw, n, c] = dimsOf(x.shape, 3, 'windowAttention input');
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
  const qkvTarget = { dtype, shape: [rows, 3 * c] };
  // q, k and v for every token in one product [BW*N, 3C]: one weight pass, and for int8 one
  // quantization of the tokens fused into the integer GEMM.
  const projWConst = em.constantOf(projWName);
  const projBConst = projBName === '' ? undefined : em.constantOf(projBName);
  // Float with every weight constant: the biases move as described above.
  const moveBiases = foldWeights && !em.options.int8Weights && projWConst !== undefined && (projBName === '' || projBConst !== undefined);
  let qkv: OnnxValue;
  if (foldWeights) {
    // The qk scale goes into q's rows of the weight and bias at export; moved biases stay out of the product.
    const w = scaleRows(qkvWConst!, c, scale);
    const b = qkvBConst && !moveBiases ? em.initializer(`${qkvBName}/qscaled`, scaleRows(qkvBConst, c, scale)) : undefined;
    qkv = em.options.int8Weights
      ? emitInt8Matmul(em, quantizeActivations(em, tokens), quantizeWeightPerChannel(w), b, qkvTarget)
      : em.node('Gemm', [tokens, em.initializer(`${qkvWName}/qscaled`, w), b], qkvTarget, [attr.int('transB', 1)]);
  } else {
    qkv = em.node('Gemm', [tokens, em.value(qkvWName), qkvBName === '' ? undefined : em.value(qkvBName)], qkvTarget, [attr.int('transB', 1)]);
  }
  // Heads move as hd-wide rows of the [BW, N*3*nH, hd] view: one Gather per part, whose [nH, N]
  // index table picks that part's rows in head-major order (see headSplitIndices), and one back.
  const qkvRows = reshape(em, qkv, [-1, n * 3 * nh, hd]);
  const heads = (part: number): OnnxValue => {
    const idx = em.indices(`heads:${n}x${nh}:qkv${part}`, () => headSplitIndices(n, nh, 3, part), [nh, n]);
    return em.node('Gather', [qkvRows, idx], { dtype, shape: [bw, nh, n, hd] }, [attr.int('axis', 1)]);
  };
  const unscaledQ = heads(0); // [BW, nH, N, hd]
  const qBias = moveBiases && qkvBConst ? em.initializer(`${qkvBName}/q`, { ...rowBlock(qkvBConst, 0, c, scale), shape: [nh, 1, hd] }) : undefined;
  const q = qBias ? em.node('Add', [unscaledQ, qBias], sameTypeAs(unscaledQ)) : foldWeights ? unscaledQ : em.node('Mul', [unscaledQ, em.scalar(scale, dtype)], sameTypeAs(unscaledQ));
  const k = heads(1); // [BW, nH, N, hd]
  const v = heads(2); // [BW, nH, N, hd]
  const rowsView = [-1, n * nh, hd];

  const scores = matmulTransB(em, q, k, { dtype, shape: [bw, nh, n, n] });
  const bias = em.value(biasName);
  const nWb = dimAt(bias.shape, 0, 'windowAttention attnBias');
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
  const projB =
    moveBiases && qkvBConst ? em.initializer(`${projBName || projWName}/with_v_bias`, foldValueBias(projWConst!, projBConst, rowBlock(qkvBConst, 2 * c, 3 * c).data))
    : projBName === '' ? undefined
    : em.value(projBName);
  if (em.options.int8Weights && projWConst) {
    const projected = emitInt8Matmul(em, quantizeActivations(em, flat), quantizeWeightPerChannel(projWConst), projB, { dtype, shape: [rows, c] });
    reshape(em, projected, [-1, n, c], out);
  } else {
    emitGemmThenBias(em, flat, em.value(projWName), projB, [-1, n, c], out);
  }
}
