import type { GraphNode } from '@swin/core';
import { attr } from '../onnx/onnx-attributes.js';
import type { EmitTarget } from './emit-primitives.js';
import { sameTypeAs, type OnnxGraphEmitter, type OnnxValue } from './onnx-graph-emitter.js';
import { reshape } from './reshape.js';
import { rowBlock } from './weight-transforms.js';
import { emitInt8Matmul, quantizeActivations, type QuantizedActivations } from './emit-int8-linear.js';
import { quantizeWeightPerChannel } from './quantize-weights.js';

/**
 * Window attention for all windows and heads at once:
 *   q, k, v: one Gemm each over every token of every window ([B*nW*N, C] x [C, C]^T), with the qk
 *            scale folded into q's weight and bias at export;
 *   heads:   Reshape + one Transpose each; k goes straight to [BW, nH, hd, N] so q @ k^T needs no
 *            further transpose;
 *   bias:    the relative position bias and shift mask arrive folded into one constant
 *            [nWb, nH, N, N]; scores are viewed as [B, nWb, nH, N, N] so it broadcasts over images;
 *   output:  Softmax, MatMul with v, one Transpose back to tokens, one Gemm for the projection.
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
  const heads = (i: number, perm: number[], what: string): OnnxValue => {
    const split = reshape(em, project(i, what), [-1, n, nh, hd]);
    return em.node('Transpose', [split], { dtype, shape: perm.map((p) => split.shape[p]!) }, [attr.ints('perm', perm)]);
  };
  const q = heads(0, [0, 2, 1, 3], 'q'); // [BW, nH, N, hd]
  const kT = heads(1, [0, 2, 3, 1], 'k'); // [BW, nH, hd, N]
  const v = heads(2, [0, 2, 1, 3], 'v'); // [BW, nH, N, hd]

  const scores = em.node('MatMul', [q, kT], { dtype, shape: [bw, nh, n, n] });
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
  const merged = em.node('Transpose', [context], { dtype, shape: [bw, n, nh, hd] }, [attr.ints('perm', [0, 2, 1, 3])]);
  const flat = reshape(em, merged, [-1, c]);
  const projB = projBName === '' ? undefined : em.value(projBName);
  const projWConst = em.constantOf(projWName);
  const projected =
    em.options.int8Weights && projWConst
      ? emitInt8Matmul(em, quantizeActivations(em, flat), quantizeWeightPerChannel(projWConst), projB, { dtype, shape: [rows, c] })
      : em.node('Gemm', [flat, em.value(projWName), projB], { dtype, shape: [rows, c] }, [attr.int('transB', 1)]);
  reshape(em, projected, [-1, n, c], out);
}
