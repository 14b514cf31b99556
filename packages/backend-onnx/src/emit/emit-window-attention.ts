import type { GraphNode } from '@swin/core';
import { attr } from '../onnx/onnx-attributes.js';
import type { EmitTarget } from './emit-primitives.js';
import { sameTypeAs, type OnnxGraphEmitter, type OnnxValue } from './onnx-graph-emitter.js';
import { reshape } from './reshape.js';
import { rowBlock } from './weight-transforms.js';

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
  const x = em.required(node, 0);
  const [bw, n, c] = x.shape as [number, number, number];
  const nh = node.attrs.numHeads;
  const hd = c / nh;
  const dtype = x.dtype;
  const scale = node.attrs.scale;
  const [qkvWName, qkvBName, projWName, projBName, biasName] = [1, 2, 3, 4, 5].map((i) => node.inputs[i] ?? '') as [string, string, string, string, string];
  const qkvWConst = em.constantOf(qkvWName);
  const qkvBConst = qkvBName === '' ? undefined : em.constantOf(qkvBName);
  const foldWeights = qkvWConst !== undefined && (qkvBName === '' || qkvBConst !== undefined);

  const tokens = reshape(em, x, [-1, c]);
  const rows = bw * n;
  const heads = (i: number, perm: number[], what: string): OnnxValue => {
    let w: OnnxValue;
    let b: OnnxValue | undefined;
    if (foldWeights) {
      const s = i === 0 ? scale : 1;
      w = em.initializer(`${qkvWName}/${what}`, rowBlock(qkvWConst!, i * c, (i + 1) * c, s));
      b = qkvBConst ? em.initializer(`${qkvBName}/${what}`, rowBlock(qkvBConst, i * c, (i + 1) * c, s)) : undefined;
    } else {
      const rowsOf = (v: OnnxValue) =>
        em.node('Slice', [v, em.int64s([i * c]), em.int64s([(i + 1) * c]), em.int64s([0])], { dtype: v.dtype, shape: [c, ...v.shape.slice(1)] });
      w = rowsOf(em.value(qkvWName));
      b = qkvBName === '' ? undefined : rowsOf(em.value(qkvBName));
    }
    let y = em.node('Gemm', [tokens, w, b], { dtype, shape: [rows, c] }, [attr.int('transB', 1)]);
    if (!foldWeights && i === 0) y = em.node('Mul', [y, em.scalar(scale, dtype)], { dtype, shape: [rows, c] });
    const split = reshape(em, y, [-1, n, nh, hd]);
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
  const projected = em.node('Gemm', [flat, em.value(projWName), projBName === '' ? undefined : em.value(projBName)], { dtype, shape: [rows, c] }, [attr.int('transB', 1)]);
  reshape(em, projected, [-1, n, c], out);
}
