import { BackendError, dimAt, dimsOf, normalizeAxis, resolveSlice, type GraphNode, type OpAttrs, type PrimitiveOp, type TensorData } from '@swin/core';
import { attr } from '../onnx/onnx-attributes.js';
import { ONNX_DTYPE } from '../onnx/onnx-model.js';
import { emitGelu } from './emit-gelu.js';
import { emitMatmul } from './emit-matmul.js';
import { reshape } from './reshape.js';
import type { OnnxGraphEmitter, OnnxValue } from './onnx-graph-emitter.js';

/** Where an emitter must put its result: the core node's output name and type (dtype already the storage dtype). */
export interface EmitTarget {
  readonly name: string;
  readonly dtype: OnnxValue['dtype'];
  readonly shape: readonly number[];
}

/** Translates one core node into ONNX nodes whose last output is `out`. */
export type OpEmitter<O extends keyof OpAttrs = keyof OpAttrs> = (em: OnnxGraphEmitter, node: GraphNode<O>, out: EmitTarget) => void;

const simple =
  (opType: string): OpEmitter =>
  (em, node, out) => {
    em.node(opType, em.positionalInputs(node), out);
  };

/**
 * Runs a row-wise op (same-shape elementwise, LayerNorm over the last axis) on a [d0, rows, last]
 * view of rank-4 token maps: onnxruntime's LayerNormalization took ~25% less time on [B, H*W, C]
 * than on [B, H, W, C] in our profiles, and the views cost nothing: they merge with the Reshapes
 * around token moves (fewer Reshape nodes overall).
 */
function asTokenRows(em: OnnxGraphEmitter, inputs: readonly (OnnxValue | undefined)[], out: EmitTarget, emit: (ins: (OnnxValue | undefined)[], target: EmitTarget) => OnnxValue): void {
  const [main] = inputs;
  if (!main) throw new BackendError('BACKEND_FAILURE', `onnx export: a row-wise op for '${out.name}' has no first input`);
  const rank = main.shape.length;
  const same = inputs.every((v) => !v || v.shape.length === 1 || (v.shape.length === rank && v.shape.every((d, i) => d === main.shape[i])));
  if (rank !== 4 || !same) {
    emit([...inputs], out);
    return;
  }
  const [d0, h, w, c] = dimsOf(main.shape, 4, 'row-wise op input');
  const rows = [-1, h * w, c];
  const ins = inputs.map((v) => (v && v.shape.length === 4 ? reshape(em, v, rows) : v));
  const flat = { dtype: out.dtype, shape: [d0, h * w, c] };
  reshape(em, emit(ins, { ...flat, name: em.fresh('rows') }), [-1, ...main.shape.slice(1)], out);
}

const rowwise =
  (opType: string): OpEmitter =>
  (em, node, out) => {
    asTokenRows(em, em.positionalInputs(node), out, (ins, target) => em.node(opType, ins, target));
  };

const castTo: Record<OpAttrs['cast']['to'], number> = { float32: ONNX_DTYPE.FLOAT, float16: ONNX_DTYPE.FLOAT16, int32: ONNX_DTYPE.INT32 };

/** Every primitive of the contract, as standard ONNX (opset 17). */
export const PRIMITIVE_EMITTERS: { [O in PrimitiveOp]: OpEmitter<O> } = {
  add: rowwise('Add'),
  sub: rowwise('Sub'),
  mul: rowwise('Mul'),
  div: rowwise('Div'),
  relu: simple('Relu'),
  sigmoid: simple('Sigmoid'),
  exp: simple('Exp'),
  sqrt: simple('Sqrt'),
  gelu: (em, node, out) => {
    emitGelu(em, em.inputs(node).x, out);
  },
  matmul: (em, node, out) => {
    const { a, b } = em.inputNames(node);
    emitMatmul(em, a, b, node.attrs.transB ?? false, out);
  },
  layerNorm: (em, node, out) => {
    const { x, gamma: g, beta } = em.inputs(node);
    const c = dimAt(x.shape, -1, 'layerNorm input');
    // ONNX requires a scale; an absent gamma is a vector of ones.
    const gamma =
      g ?? em.initializer('ones', { dtype: 'float32', shape: [c], data: new Float32Array(c).fill(1) } as TensorData);
    asTokenRows(em, [x, gamma, beta], out, (ins, target) =>
      em.node('LayerNormalization', ins, target, [attr.int('axis', -1), attr.float('epsilon', node.attrs.eps)]),
    );
  },
  softmax: (em, node, out) => {
    em.node('Softmax', [em.inputs(node).x], out, [attr.int('axis', -1)]);
  },
  reshape: (em, node, out) => {
    reshape(em, em.inputs(node).x, node.attrs.shape, out);
  },
  transpose: (em, node, out) => {
    em.node('Transpose', [em.inputs(node).x], out, [attr.ints('perm', node.attrs.perm)]);
  },
  slice: (em, node, out) => {
    const { x } = em.inputs(node);
    const a = node.attrs;
    // Resolve against the static shape so huge or negative bounds on non-batch axes become plain numbers.
    const { start, step, size } = resolveSlice(x.shape, a);
    const axes = a.axes.map((ax) => normalizeAxis(ax, x.shape.length, 'slice'));
    const batchAxis = em.options.dynamicBatch ? 0 : -1;
    // resolveSlice checked that a.starts / a.ends have one entry per listed axis, and returned
    // start / step / size with one per axis of x, which every normalized axis indexes.
    const starts = axes.map((ax, i) => (ax === batchAxis ? a.starts[i]! : start[ax]!));
    const ends = axes.map((ax, i) => (ax === batchAxis ? a.ends[i]! : start[ax]! + size[ax]! * step[ax]!));
    const steps = axes.map((ax) => step[ax]!);
    em.node('Slice', [x, em.int64s(starts), em.int64s(ends), em.int64s(axes), em.int64s(steps)], out);
  },
  concat: (em, node, out) => {
    em.node('Concat', [...em.inputs(node).xs], out, [attr.int('axis', node.attrs.axis)]);
  },
  pad: (em, node, out) => {
    const { x } = em.inputs(node);
    em.node('Pad', [x, em.int64s(node.attrs.pads), em.scalar(node.attrs.value ?? 0, x.dtype)], out, [attr.string('mode', 'constant')]);
  },
  gather: (em, node, out) => {
    const { data, indices } = em.inputs(node);
    em.node('Gather', [data, indices], out, [attr.int('axis', node.attrs.axis)]);
  },
  conv2d: (em, node, out) => {
    const { x, weight: w, bias } = em.inputs(node);
    const a = node.attrs;
    em.node('Conv', [x, w, bias], out, [
      attr.ints('kernel_shape', w.shape.slice(2)),
      attr.ints('strides', a.strides),
      attr.ints('pads', a.pads),
      attr.int('group', a.groups ?? 1),
    ]);
  },
  reduceMean: (em, node, out) => {
    const { x } = em.inputs(node);
    // ONNX reduces over every axis when `axes` is empty; ours reduces over none.
    if (node.attrs.axes.length === 0) em.node('Identity', [x], out);
    else em.node('ReduceMean', [x], out, [attr.ints('axes', node.attrs.axes), attr.int('keepdims', node.attrs.keepDims ? 1 : 0)]);
  },
  reduceSum: (em, node, out) => {
    const { x } = em.inputs(node);
    if (node.attrs.axes.length === 0) em.node('Identity', [x], out);
    else em.node('ReduceSum', [x, em.int64s(node.attrs.axes)], out, [attr.int('keepdims', node.attrs.keepDims ? 1 : 0)]);
  },
  cast: (em, node, out) => {
    const { x } = em.inputs(node);
    const to = em.storageDtype(node.attrs.to);
    if (to === x.dtype) em.node('Identity', [x], out);
    else em.node('Cast', [x], out, [attr.int('to', castTo[to as keyof typeof castTo])]);
  },
};
