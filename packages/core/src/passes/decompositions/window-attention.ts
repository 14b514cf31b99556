import { dimAt, dimsOf } from '../../tensor/shape-dims.js';
import { float32, toFloat16 } from '../../tensor/tensor.js';
import type { Decomposition } from './decomposition.js';

/**
 * Window attention with primitives. q, k, v come from row blocks of the qkv weight (constant slices
 * that constant folding turns into three weights), so no 5-D transpose of a fused qkv is needed.
 */
export const decomposeWindowAttention: Decomposition<'windowAttention'> = (b, inputs, attrs) => {
  const { x, qkvWeight: qkvW, qkvBias: qkvB, projWeight: projW, projBias: projB, attnBias } = inputs;
  const [, n, c] = dimsOf(x.shape, 3, 'windowAttention input');
  const nh = attrs.numHeads;
  const hd = c / nh;
  const nWb = dimAt(attnBias.shape, 0, 'windowAttention attnBias');

  const head = (i: number, name: string) => {
    const w = b.slice(qkvW, { starts: [i * c], ends: [(i + 1) * c], axes: [0] }, `${name}_weight`);
    const bias = qkvB ? b.slice(qkvB, { starts: [i * c], ends: [(i + 1) * c], axes: [0] }, `${name}_bias`) : undefined;
    const y = b.linear(x, w, bias, name);
    return b.transpose(b.reshape(y, [-1, n, nh, hd]), [0, 2, 1, 3], `${name}_heads`);
  };
  // The scale literal takes x's dtype: float16 graphs would otherwise mix dtypes in the mul.
  const scaleT = float32([], [attrs.scale]);
  const q = b.mul(head(0, 'q'), b.literal('scale', x.dtype === 'float16' ? toFloat16(scaleT) : scaleT), 'q_scaled');
  const k = head(1, 'k');
  const v = head(2, 'v');

  let attn = b.matmul(q, k, true, 'scores'); // [BW, nH, N, N]
  attn = b.reshape(attn, [-1, nWb, nh, n, n]);
  attn = b.add(attn, attnBias, 'scores_biased');
  attn = b.reshape(attn, [-1, nh, n, n]);
  attn = b.softmax(attn, 'probs');
  let out = b.matmul(attn, v, false, 'context'); // [BW, nH, N, hd]
  out = b.reshape(b.transpose(out, [0, 2, 1, 3]), [-1, n, c]);
  return b.linear(out, projW, projB, 'proj');
};
