// The op set: the contract between the graph and every backend.
//
// Every op has exactly one output. Optional inputs are passed as '' (absent), as in ONNX.
// Shapes are static per compile except the leading batch dimension: the graph builder
// writes every reshape with -1 on the batch-derived axis, so a graph built at batch 1
// runs unchanged at any batch, and every intermediate's size is linear in the batch.

/** Primitives: what every backend must implement. */
export const PRIMITIVE_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'gelu',
  'relu',
  'sigmoid',
  'exp',
  'sqrt',
  'matmul',
  'layerNorm',
  'softmax',
  'reshape',
  'transpose',
  'slice',
  'concat',
  'pad',
  'gather',
  'conv2d',
  'reduceMean',
  'reduceSum',
  'cast',
] as const;

/** Composites: each has a decomposition into primitives in core; a backend may implement them natively. */
export const COMPOSITE_OPS = ['linear', 'windowPartition', 'windowReverse', 'windowAttention', 'patchMerging'] as const;

export type PrimitiveOp = (typeof PRIMITIVE_OPS)[number];
export type CompositeOp = (typeof COMPOSITE_OPS)[number];
export type OpName = PrimitiveOp | CompositeOp;

export const ALL_OPS: readonly OpName[] = [...PRIMITIVE_OPS, ...COMPOSITE_OPS];

/** Attributes of each op, with the exact semantics a backend must implement. */
export interface OpAttrs {
  /** a + b, numpy broadcasting. */
  add: Record<string, never>;
  /** a - b, numpy broadcasting. */
  sub: Record<string, never>;
  /** a * b, numpy broadcasting. */
  mul: Record<string, never>;
  /** a / b, numpy broadcasting. */
  div: Record<string, never>;
  /** Exact GELU: 0.5 x (1 + erf(x / sqrt 2)). */
  gelu: Record<string, never>;
  relu: Record<string, never>;
  sigmoid: Record<string, never>;
  exp: Record<string, never>;
  sqrt: Record<string, never>;
  /**
   * Batched a @ b (or a @ b^T with transB). a: [...batchA, M, K]; b: [...batchB, K, N]
   * ([...batchB, N, K] when transB); batch dims broadcast; b may be rank 2.
   */
  matmul: { transB?: boolean };
  /** Inputs x, gamma, beta ('' for none): normalizes the last axis, biased variance, eps inside the sqrt. */
  layerNorm: { eps: number };
  /** Softmax over the last axis (max-subtracted). */
  softmax: Record<string, never>;
  /** New shape with the same element count; at most one -1 (inferred). No 0-means-copy. */
  reshape: { shape: number[] };
  /** Output axis i is input axis perm[i]. */
  transpose: { perm: number[] };
  /**
   * Python-style slice per listed axis: starts/ends may be negative (counted from the end) and are
   * clamped to [0, dim]; steps > 0 (default 1). Unlisted axes are taken whole.
   */
  slice: { starts: number[]; ends: number[]; axes: number[]; steps?: number[] };
  /** Concatenates inputs along `axis` (negative counts from the end). */
  concat: { axis: number };
  /** Constant padding: pads = [begin_0..begin_{r-1}, end_0..end_{r-1}] (ONNX order), all >= 0. */
  pad: { pads: number[]; value?: number };
  /** Inputs data, indices (int32): out = data.take(indices, axis). Shape data[:axis] + indices + data[axis+1:]. */
  gather: { axis: number };
  /** Inputs x [N,C,H,W], w [O,C/groups,kH,kW], bias [O] or ''. pads = [top, left, bottom, right]. */
  conv2d: { strides: [number, number]; pads: [number, number, number, number]; groups?: number };
  /** Mean over `axes`. */
  reduceMean: { axes: number[]; keepDims: boolean };
  /** Sum over `axes`. */
  reduceSum: { axes: number[]; keepDims: boolean };
  /** Converts element type (float <-> int truncates toward zero). */
  cast: { to: 'float32' | 'float16' | 'int32' };

  /** Inputs x [..., in], w [out, in], bias [out] or '': x @ w^T + bias. */
  linear: Record<string, never>;
  /**
   * x [B, H, W, C] -> [B * nW, wh * ww, C], windows in row-major order of (window row, window col),
   * tokens row-major within a window. With a shift, x is first rolled by (-shift_h, -shift_w) on (H, W).
   * H and W must be multiples of the window.
   */
  windowPartition: { window: [number, number]; shift: [number, number] };
  /** Inverse of windowPartition: [B * nW, wh * ww, C] -> [B, height, width, C], then roll by (+shift). */
  windowReverse: { window: [number, number]; shift: [number, number]; height: number; width: number };
  /**
   * Multi-head self-attention within windows. Inputs: x [B*nW, N, C], qkvWeight [3C, C], qkvBias [3C] or '',
   * projWeight [C, C], projBias [C] or '', attnBias [nWb, nH, N, N] (nWb = 1 or nW: relative position bias
   * plus the shift mask, folded into one constant). q is multiplied by `scale` before q @ k^T.
   * Windows of one image are consecutive in the leading axis, so attnBias row w applies to window (i mod nWb).
   */
  windowAttention: { numHeads: number; scale: number };
  /**
   * x [B, H, W, C] -> [B, ceil(H/2), ceil(W/2), 4C]: zero-pads odd H/W at the bottom/right, then
   * concatenates x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2] on channels.
   */
  patchMerging: Record<string, never>;
}

export type AttrsOf<O extends OpName> = OpAttrs[O];

/** True for ops in the composite list. */
export function isComposite(op: OpName): op is CompositeOp {
  return (COMPOSITE_OPS as readonly string[]).includes(op);
}

/** True when `name` is an op of the contract. */
export function isOpName(name: string): name is OpName {
  return (ALL_OPS as readonly string[]).includes(name);
}
