import { attr } from '../onnx/onnx-attributes.js';
import type { OnnxValue } from '../emit/onnx-graph-emitter.js';
import type { RuntimeInt } from './runtime-ints.js';
import type { RuntimeTensors } from './runtime-tensors.js';

/**
 * For groups of tokensH x tokensW tokens, the bias-table row of each (query, key) pair, [N, N]:
 * (dy + tableH - 1) * (2 tableW - 1) + (dx + tableW - 1), dy = y_query - y_key (core's
 * relativePositionIndex, computed in the graph because the group shape is known only at run time).
 */
export function relativeIndex(rt: RuntimeTensors, tokensH: RuntimeInt, tokensW: RuntimeInt, tableH: RuntimeInt, tableW: RuntimeInt): OnnxValue {
  const offsets = (n: RuntimeInt) => {
    const r = rt.ints.range(n);
    return rt.sub(rt.unsqueeze(r, [1]), rt.unsqueeze(r, [0])); // [n, n]: query - key
  };
  const rowTerm = rt.mul(rt.add(offsets(tokensH), rt.ints.sub(tableH, 1)), rt.ints.sub(rt.ints.mul(tableW, 2), 1));
  const colTerm = rt.add(offsets(tokensW), rt.ints.sub(tableW, 1));
  // [qy, qx, ky, kx] from rows [qy, 1, ky, 1] and columns [1, qx, 1, kx]
  const index = rt.add(rt.unsqueeze(rowTerm, [1, 3]), rt.unsqueeze(colTerm, [0, 2]));
  const n = rt.ints.mul(tokensH, tokensW);
  return rt.reshape(index, [n, n]);
}

/** Bias [nH, N, N] from a table already laid out [nH, rows]: one Gather. */
export function gatherBias(rt: RuntimeTensors, tableByHead: OnnxValue, index: OnnxValue): OnnxValue {
  return rt.op('Gather', [tableByHead, index], 'float32', [attr.int('axis', 1)]);
}

/**
 * The relative offsets of a group shape as float rows (dy, dx), dy outer, each in [1 - n, n - 1]
 * after `transform` (identity for CrossFormer's dynamic position bias, Swin V2's log-spaced
 * squashing): [(2 tokensH - 1) (2 tokensW - 1), 2], in relativeIndex's row order.
 */
export function offsetRows(rt: RuntimeTensors, tokensH: RuntimeInt, tokensW: RuntimeInt, transform: (offsets: OnnxValue) => OnnxValue): OnnxValue {
  const axis = (n: RuntimeInt) => {
    const side = rt.ints.sub(rt.ints.mul(n, 2), 1);
    return { side, values: transform(rt.cast(rt.sub(rt.ints.range(side), rt.ints.sub(n, 1)), 'float32')) };
  };
  const y = axis(tokensH);
  const x = axis(tokensW);
  const grid = rt.ints.vector([y.side, x.side, 1]);
  const ys = rt.op('Expand', [rt.unsqueeze(y.values, [1, 2]), grid]);
  const xs = rt.op('Expand', [rt.unsqueeze(x.values, [0, 2]), grid]);
  const both = rt.op('Concat', [ys, xs], 'float32', [attr.int('axis', 2)]);
  return rt.reshape(both, [-1, 2]);
}
