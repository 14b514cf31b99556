import { DTypeError, ShapeError, formatShape } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import { dimAt, dimsOf, type Dims } from '../tensor/shape-dims.js';
import { shapeSize } from '../tensor/tensor.js';
import { broadcastShapes, normalizeAxis } from './broadcast.js';
import { bindInputs, type InputsOf } from './op-inputs.js';
import type { OpAttrs, OpName } from './op-set.js';

/** What shape inference needs to know about an input: undefined for an absent optional input. */
export interface TypeInfo {
  readonly dtype: DType;
  readonly shape: readonly number[];
}

type Infer<O extends OpName> = (inputs: InputsOf<O, TypeInfo>, attrs: OpAttrs[O], op: OpName) => TypeInfo;

function requireFloat(t: TypeInfo, op: string): void {
  if (t.dtype !== 'float32' && t.dtype !== 'float16') throw new DTypeError(`${op}: expected a float tensor, found ${t.dtype}`);
}

/** The dims of `t`, which must have rank `rank`, as a tuple to destructure. */
function requireRank<R extends 2 | 3 | 4>(t: TypeInfo, rank: R, op: string, what: string): Dims<R> {
  if (t.shape.length !== rank) throw new ShapeError(`${op}: ${what} must have rank ${rank}, found ${formatShape(t.shape)}`);
  return dimsOf(t.shape, rank, `${op} ${what}`);
}

const binary: Infer<'add' | 'sub' | 'mul' | 'div'> = (inputs, _attrs, op) => {
  const { a, b } = inputs;
  if (a.dtype !== b.dtype) throw new DTypeError(`${op}: operand dtypes differ: ${a.dtype} vs ${b.dtype}`);
  return { dtype: a.dtype, shape: broadcastShapes(a.shape, b.shape) };
};

const unaryFloat: Infer<'gelu' | 'relu' | 'sigmoid' | 'exp' | 'sqrt' | 'softmax'> = (inputs, _attrs, op) => {
  const x = inputs.x;
  requireFloat(x, op);
  return x;
};

function resolveReshape(inShape: readonly number[], target: readonly number[], op: string): number[] {
  const total = shapeSize(inShape);
  let known = 1;
  let inferAt = -1;
  for (const [i, d] of target.entries()) {
    if (d === -1) {
      if (inferAt >= 0) throw new ShapeError(`${op}: more than one -1 in target shape ${formatShape(target)}`);
      inferAt = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: invalid dim ${d} in target shape ${formatShape(target)}`);
    } else known *= d;
  }
  const out = [...target];
  if (inferAt >= 0) {
    if (known === 0 || total % known !== 0) {
      throw new ShapeError(`${op}: cannot reshape ${formatShape(inShape)} to ${formatShape(target)}`);
    }
    out[inferAt] = total / known;
  } else if (known !== total) {
    throw new ShapeError(`${op}: cannot reshape ${formatShape(inShape)} (${total} elements) to ${formatShape(target)}`);
  }
  return out;
}

/** Resolves a slice attribute into per-axis start, step and output length (python semantics, clamped). */
export function resolveSlice(shape: readonly number[], attrs: OpAttrs['slice']): { start: number[]; step: number[]; size: number[] } {
  const rank = shape.length;
  const start = new Array<number>(rank).fill(0);
  const step = new Array<number>(rank).fill(1);
  const size = [...shape];
  if (attrs.starts.length !== attrs.axes.length || attrs.ends.length !== attrs.axes.length) {
    throw new ShapeError(`slice: starts, ends and axes must have equal lengths`);
  }
  attrs.axes.forEach((axisRaw, i) => {
    const axis = normalizeAxis(axisRaw, rank, 'slice');
    // axis < rank = shape.length; starts and ends have one entry per axes entry (checked above).
    const dim = shape[axis]!;
    const st = attrs.steps?.[i] ?? 1;
    if (!Number.isInteger(st) || st <= 0) throw new ShapeError(`slice: steps must be positive integers, found ${st}`);
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
    const s = clamp(attrs.starts[i]!);
    const e = clamp(attrs.ends[i]!);
    start[axis] = s;
    step[axis] = st;
    size[axis] = e > s ? Math.ceil((e - s) / st) : 0;
  });
  return { start, step, size };
}

const INFER: { [O in OpName]: Infer<O> } = {
  add: binary,
  sub: binary,
  mul: binary,
  div: binary,
  gelu: unaryFloat,
  relu: unaryFloat,
  sigmoid: unaryFloat,
  exp: unaryFloat,
  sqrt: unaryFloat,
  matmul: ({ a, b }, attrs, op) => {
    requireFloat(a, op);
    if (a.dtype !== b.dtype) throw new DTypeError(`matmul: operand dtypes differ: ${a.dtype} vs ${b.dtype}`);
    if (a.shape.length < 2 || b.shape.length < 2) {
      throw new ShapeError(`matmul: operands must have rank >= 2, found ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    }
    const m = dimAt(a.shape, -2, op);
    const k = dimAt(a.shape, -1, op);
    const kb = dimAt(b.shape, attrs.transB ? -1 : -2, op);
    const n = dimAt(b.shape, attrs.transB ? -2 : -1, op);
    if (k !== kb) {
      throw new ShapeError(`matmul: inner dims differ: ${formatShape(a.shape)} @ ${formatShape(b.shape)}${attrs.transB ? '^T' : ''} (${k} vs ${kb})`);
    }
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    return { dtype: a.dtype, shape: [...batch, m, n] };
  },
  layerNorm: (inputs, _attrs, op) => {
    const x = inputs.x;
    requireFloat(x, op);
    const c = x.shape[x.shape.length - 1];
    for (const what of ['gamma', 'beta'] as const) {
      const p = inputs[what];
      if (p && (p.shape.length !== 1 || p.shape[0] !== c)) {
        throw new ShapeError(`layerNorm: ${what} must be [${c}], found ${formatShape(p.shape)}`);
      }
    }
    return x;
  },
  softmax: unaryFloat,
  reshape: (inputs, attrs, op) => {
    const x = inputs.x;
    return { dtype: x.dtype, shape: resolveReshape(x.shape, attrs.shape, op) };
  },
  transpose: (inputs, attrs, op) => {
    const x = inputs.x;
    const rank = x.shape.length;
    const seen = new Set(attrs.perm);
    if (attrs.perm.length !== rank || seen.size !== rank || attrs.perm.some((p) => p < 0 || p >= rank)) {
      throw new ShapeError(`transpose: perm [${attrs.perm.join(',')}] is not a permutation of rank ${rank}`);
    }
    return { dtype: x.dtype, shape: attrs.perm.map((p) => x.shape[p]!) }; // 0 <= p < rank, checked above
  },
  slice: (inputs, attrs, op) => {
    const x = inputs.x;
    return { dtype: x.dtype, shape: resolveSlice(x.shape, attrs).size };
  },
  concat: (inputs, attrs, op) => {
    const present = inputs.xs;
    const first = present[0];
    if (!first) throw new ShapeError('concat: needs at least one input');
    const axis = normalizeAxis(attrs.axis, first.shape.length, 'concat');
    let total = 0;
    for (const t of present) {
      if (t.dtype !== first.dtype) throw new DTypeError(`concat: dtypes differ: ${first.dtype} vs ${t.dtype}`);
      if (t.shape.length !== first.shape.length || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
        throw new ShapeError(`concat: ${formatShape(t.shape)} does not match ${formatShape(first.shape)} off axis ${axis}`);
      }
      total += t.shape[axis]!; // t has first's rank (checked above), and axis < that rank
    }
    const shape = [...first.shape];
    shape[axis] = total;
    return { dtype: first.dtype, shape };
  },
  pad: (inputs, attrs, op) => {
    const x = inputs.x;
    const r = x.shape.length;
    if (attrs.pads.length !== 2 * r || attrs.pads.some((p) => !Number.isInteger(p) || p < 0)) {
      throw new ShapeError(`pad: pads must be ${2 * r} non-negative integers for rank ${r}, found [${attrs.pads.join(',')}]`);
    }
    return { dtype: x.dtype, shape: x.shape.map((d, i) => d + attrs.pads[i]! + attrs.pads[i + r]!) }; // i < r, 2r pads (checked)
  },
  gather: (inputs, attrs, op) => {
    const { data, indices: idx } = inputs;
    if (idx.dtype !== 'int32') throw new DTypeError(`gather: indices must be int32, found ${idx.dtype}`);
    const axis = normalizeAxis(attrs.axis, data.shape.length, 'gather');
    return { dtype: data.dtype, shape: [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)] };
  },
  conv2d: (inputs, attrs, op) => {
    const x = inputs.x;
    const w = inputs.weight;
    const [n, c, h, wd] = requireRank(x, 4, op, 'input');
    const [o, ci, kh, kw] = requireRank(w, 4, op, 'weight');
    const groups = attrs.groups ?? 1;
    if (ci * groups !== c || o % groups !== 0) {
      throw new ShapeError(`conv2d: input has ${c} channels, weight ${formatShape(w.shape)} with ${groups} group(s) expects ${ci * groups}`);
    }
    const b = inputs.bias;
    if (b && (b.shape.length !== 1 || b.shape[0] !== o)) throw new ShapeError(`conv2d: bias must be [${o}], found ${formatShape(b.shape)}`);
    const [sh, sw] = attrs.strides;
    const [pt, pl, pb, pr] = attrs.pads;
    const oh = Math.floor((h + pt + pb - kh) / sh) + 1;
    const ow = Math.floor((wd + pl + pr - kw) / sw) + 1;
    if (oh <= 0 || ow <= 0) throw new ShapeError(`conv2d: input ${formatShape(x.shape)} is smaller than kernel ${kh}x${kw}`);
    return { dtype: x.dtype, shape: [n, o, oh, ow] };
  },
  reduceMean: (inputs, attrs, op) => reduceShape(inputs.x, attrs, op),
  reduceSum: (inputs, attrs, op) => reduceShape(inputs.x, attrs, op),
  cast: (inputs, attrs, op) => ({ dtype: attrs.to, shape: inputs.x.shape }),
  linear: (inputs, _attrs, op) => {
    const x = inputs.x;
    const w = inputs.weight;
    const [outF, wantF] = requireRank(w, 2, op, 'weight');
    const inF = x.shape[x.shape.length - 1];
    if (wantF !== inF) throw new ShapeError(`linear: input has ${inF} features, weight is ${formatShape(w.shape)} (expects ${wantF})`);
    const b = inputs.bias;
    if (b && (b.shape.length !== 1 || b.shape[0] !== outF)) {
      throw new ShapeError(`linear: bias must be [${outF}], found ${formatShape(b.shape)}`);
    }
    return { dtype: x.dtype, shape: [...x.shape.slice(0, -1), outF] };
  },
  windowPartition: (inputs, attrs, op) => {
    const x = inputs.x;
    const [b, h, w, c] = requireRank(x, 4, op, 'input');
    const [wh, ww] = attrs.window;
    if (h % wh !== 0 || w % ww !== 0) throw new ShapeError(`windowPartition: map ${h}x${w} is not a multiple of window ${wh}x${ww}`);
    return { dtype: x.dtype, shape: [b * (h / wh) * (w / ww), wh * ww, c] };
  },
  windowReverse: (inputs, attrs, op) => {
    const x = inputs.x;
    const [bw, n, c] = requireRank(x, 3, op, 'input');
    const [wh, ww] = attrs.window;
    const nW = (attrs.height / wh) * (attrs.width / ww);
    if (n !== wh * ww || !Number.isInteger(nW) || bw % nW !== 0) {
      throw new ShapeError(`windowReverse: ${formatShape(x.shape)} is not windows of ${wh}x${ww} over ${attrs.height}x${attrs.width}`);
    }
    return { dtype: x.dtype, shape: [bw / nW, attrs.height, attrs.width, c] };
  },
  windowAttention: (inputs, attrs, op) => {
    const x = inputs.x;
    const [bw, n, c] = requireRank(x, 3, op, 'input');
    const qkv = inputs.qkvWeight;
    if (qkv.shape[0] !== 3 * c || qkv.shape[1] !== c) throw new ShapeError(`windowAttention: qkv weight must be [${3 * c},${c}], found ${formatShape(qkv.shape)}`);
    const proj = inputs.projWeight;
    if (proj.shape[0] !== c || proj.shape[1] !== c) throw new ShapeError(`windowAttention: proj weight must be [${c},${c}], found ${formatShape(proj.shape)}`);
    if (c % attrs.numHeads !== 0) throw new ShapeError(`windowAttention: ${c} channels do not split into ${attrs.numHeads} heads`);
    const bias = inputs.attnBias;
    const [nwb, nh, n1, n2] = bias.shape;
    if (bias.shape.length !== 4 || nwb === undefined || nh !== attrs.numHeads || n1 !== n || n2 !== n || bw % nwb !== 0) {
      throw new ShapeError(`windowAttention: attnBias must be [nW,${attrs.numHeads},${n},${n}] with nW dividing ${bw}, found ${formatShape(bias.shape)}`);
    }
    return x;
  },
  patchMerging: (inputs, _attrs, op) => {
    const x = inputs.x;
    const [b, h, w, c] = requireRank(x, 4, op, 'input');
    return { dtype: x.dtype, shape: [b, Math.ceil(h / 2), Math.ceil(w / 2), 4 * c] };
  },
};

function reduceShape(x: TypeInfo, attrs: { axes: number[]; keepDims: boolean }, op: string): TypeInfo {
  const axes = new Set(attrs.axes.map((a) => normalizeAxis(a, x.shape.length, op)));
  const shape: number[] = [];
  x.shape.forEach((d, i) => {
    if (!axes.has(i)) shape.push(d);
    else if (attrs.keepDims) shape.push(1);
  });
  return { dtype: x.dtype, shape };
}

/** Output type of `op` applied to inputs of the given types; throws a typed error when they do not fit. */
export function inferOutputType<O extends OpName>(op: O, inputs: readonly (TypeInfo | undefined)[], attrs: OpAttrs[O]): TypeInfo {
  const infer: Infer<O> = INFER[op];
  return infer(bindInputs(op, inputs, 'shape inference'), attrs, op);
}
