import type { OnnxValue } from '../emit/onnx-graph-emitter.js';
import type { RuntimeInt } from './runtime-ints.js';
import type { RuntimeTensors } from './runtime-tensors.js';

/**
 * How one axis of a feature map is cut into groups, with sizes known only at run time. Swin
 * windows: groupStride = window, tokenStride = 1, a cyclic shift. CrossFormer SDA is a window
 * without shift; LDA cuts the axis into regions of G * I rows (period = I groups each, periodStride =
 * G * I) and group i of a region holds its rows i, i + I, ... (groupStride = 1, tokenStride = I).
 * Token t of group g sits at row (g div period) * periodStride + (g mod period) * groupStride +
 * t * tokenStride of the map after padding to `padded` and rolling by -shift; an axis without
 * regions has period = groups and periodStride = padded.
 */
export interface AxisGrouping {
  readonly size: RuntimeInt;
  readonly padded: RuntimeInt;
  readonly groups: RuntimeInt;
  readonly tokens: RuntimeInt;
  readonly groupStride: RuntimeInt;
  readonly tokenStride: RuntimeInt;
  readonly period: RuntimeInt;
  readonly periodStride: RuntimeInt;
  readonly shift: RuntimeInt;
}

/** A block's grouping of an H x W map: groups in row-major order, tokens row-major within a group. */
export interface TokenGrouping {
  readonly rows: AxisGrouping;
  readonly cols: AxisGrouping;
  readonly numGroups: RuntimeInt;
  /** Tokens per group (N). */
  readonly groupTokens: RuntimeInt;
}

/** The grouping of a window of `window` rows per axis, shifted by `shift` (Swin, CrossFormer SDA). */
export function windowAxis(rt: RuntimeTensors, size: RuntimeInt, window: RuntimeInt, shift: RuntimeInt): AxisGrouping {
  const padded = rt.ints.roundUp(size, window);
  const groups = rt.ints.div(padded, window);
  return { size, padded, groups, tokens: window, groupStride: window, tokenStride: 1, period: groups, periodStride: padded, shift };
}

/** Rows and columns combined. */
export function tokenGrouping(rt: RuntimeTensors, rows: AxisGrouping, cols: AxisGrouping): TokenGrouping {
  return { rows, cols, numGroups: rt.ints.mul(rows.groups, cols.groups), groupTokens: rt.ints.mul(rows.tokens, cols.tokens) };
}

/** [groups, tokens]: the row of the rolled, padded map each (group, token) slot holds. */
function rolledPositions(rt: RuntimeTensors, a: AxisGrouping): OnnxValue {
  const range = rt.ints.range(a.groups);
  const g = rt.unsqueeze(rt.add(rt.mul(rt.div(range, a.period), a.periodStride), rt.mul(rt.mod(range, a.period), a.groupStride)), [1]);
  const t = rt.unsqueeze(rt.mul(rt.ints.range(a.tokens), a.tokenStride), [0]);
  return rt.add(g, t);
}

/** Per slot of the grouped map: the token index into an [H*W + 1]-row matrix (row H*W: zeros, for padding), and whether it is real. */
export interface GroupedSources {
  /** [nG * N] int64. */
  readonly index: OnnxValue;
  /** [nGh, nGw, Nh, Nw] bool: true where the slot holds a real token. */
  readonly valid: OnnxValue;
}

/**
 * The token each slot of the grouped map reads, in the order [group row, group col, token row,
 * token col]: padding and the cyclic roll composed into one index vector for one Gather.
 */
export function groupedSources(rt: RuntimeTensors, g: TokenGrouping): GroupedSources {
  const axis = (a: AxisGrouping) => {
    const src = rt.mod(rt.add(rolledPositions(rt, a), a.shift), a.padded); // [groups, tokens]
    return { src, valid: rt.less(src, a.size) };
  };
  const r = axis(g.rows);
  const c = axis(g.cols);
  // rows broadcast as [nGh, 1, Nh, 1], columns as [1, nGw, 1, Nw]
  const rowIdx = rt.unsqueeze(rt.mul(r.src, g.cols.size), [1, 3]);
  const colIdx = rt.unsqueeze(c.src, [0, 2]);
  const valid = rt.and(rt.unsqueeze(r.valid, [1, 3]), rt.unsqueeze(c.valid, [0, 2]));
  const padRow = rt.ints.mul(g.rows.size, g.cols.size);
  const index = rt.where(valid, rt.add(rowIdx, colIdx), rt.ints.value(padRow));
  return { index: rt.reshape(index, [-1]), valid };
}

/** For each real map token (row-major), its slot in the grouped map: the Gather that ungroups, unrolls and crops. */
export function ungroupedSlots(rt: RuntimeTensors, g: TokenGrouping): OnnxValue {
  const axis = (a: AxisGrouping, groupStride: RuntimeInt, tokenStride: RuntimeInt) => {
    const rolled = rt.mod(rt.sub(rt.ints.range(a.size), a.shift), a.padded);
    const group = rt.add(rt.mul(rt.div(rolled, a.periodStride), a.period), rt.mod(rt.div(rolled, a.groupStride), a.period));
    const token = rt.mod(rt.div(rolled, a.tokenStride), a.tokens);
    return rt.add(rt.mul(group, groupStride), rt.mul(token, tokenStride));
  };
  const { rows, cols } = g;
  // slot = ((gy * nGw + gx) * Nh + ty) * Nw + tx
  const rowPart = axis(rows, rt.ints.mul(cols.groups, g.groupTokens), cols.tokens);
  const colPart = axis(cols, g.groupTokens, 1);
  return rt.reshape(rt.add(rt.unsqueeze(rowPart, [1]), rt.unsqueeze(colPart, [0])), [-1]);
}

/**
 * Swin's shifted-window mask, [nG, 1, N, N]: 0 between tokens of the same region of the rolled
 * map, `maskValue` otherwise. Regions per axis: [0, P - window), [P - window, P - shift),
 * [P - shift, P); one region when the shift is 0 (the mask is then all zeros).
 */
export function shiftRegionMask(rt: RuntimeTensors, g: TokenGrouping, maskValue: number): OnnxValue {
  const region = (a: AxisGrouping) => {
    const pos = rolledPositions(rt, a);
    const from = (start: RuntimeInt) => rt.cast(rt.less(rt.ints.sub(start, 1), pos), 'int64'); // pos >= start
    const id = rt.add(from(rt.ints.sub(a.padded, a.tokens)), from(rt.ints.sub(a.padded, a.shift)));
    const shifted = rt.cast(rt.less(0, a.shift), 'int64');
    return rt.mul(id, shifted);
  };
  const ids = rt.add(rt.unsqueeze(rt.mul(region(g.rows), 3), [1, 3]), rt.unsqueeze(region(g.cols), [0, 2]));
  const perGroup = rt.reshape(ids, [g.numGroups, g.groupTokens]);
  const same = rt.equal(rt.unsqueeze(perGroup, [2]), rt.unsqueeze(perGroup, [1])); // [nG, N, N]
  return rt.unsqueeze(rt.where(same, rt.float(0), rt.float(maskValue)), [1]);
}

/** CrossFormer's padded-key mask, [nG, 1, 1, N]: `maskValue` in the columns of keys that are padding. */
export function paddedKeyMask(rt: RuntimeTensors, g: TokenGrouping, sources: GroupedSources, maskValue: number): OnnxValue {
  const valid = rt.reshape(sources.valid, [g.numGroups, 1, 1, g.groupTokens]);
  return rt.where(valid, rt.float(0), rt.float(maskValue));
}

/**
 * Patch merging's 2x2 gather on an H x W map: for merged token (i, j), the four source tokens in
 * the official channel order x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2] (row H*W, zeros,
 * where an odd map is padded). [ceil(H/2) * ceil(W/2) * 4] int64.
 */
export function mergeSources(rt: RuntimeTensors, height: RuntimeInt, width: RuntimeInt): OnnxValue {
  const axis = (size: RuntimeInt) => {
    const src = rt.add(rt.unsqueeze(rt.mul(rt.ints.range(rt.ints.ceilDiv(size, 2)), 2), [1]), rt.unsqueeze(rt.ints.range(2), [0])); // [size/2, 2]
    return { src, valid: rt.less(src, size) };
  };
  const r = axis(height);
  const c = axis(width);
  // [i, j, dx, dy]: phase index dx * 2 + dy gives the official order
  const rowIdx = rt.unsqueeze(rt.mul(r.src, width), [1, 2]);
  const colIdx = rt.unsqueeze(c.src, [0, 3]);
  const valid = rt.and(rt.unsqueeze(r.valid, [1, 2]), rt.unsqueeze(c.valid, [0, 3]));
  const index = rt.where(valid, rt.add(rowIdx, colIdx), rt.ints.value(rt.ints.mul(height, width)));
  return rt.reshape(index, [-1]);
}
