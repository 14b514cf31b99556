import { BackendError } from '@swin/core';
import { attr } from '../onnx/onnx-attributes.js';
import type { OnnxElementType } from '../onnx/onnx-model.js';
import type { OnnxGraphEmitter, OnnxValue } from '../emit/onnx-graph-emitter.js';
import { RUNTIME_DIM, RuntimeInts, type RuntimeInt } from './runtime-ints.js';

/** An operand: a tensor, or an integer broadcast against it. */
type Operand = OnnxValue | RuntimeInt;

const DTYPE_CODE: Readonly<Record<'float32' | 'int64' | 'bool', number>> = { float32: 1, int64: 7, bool: 9 };

/**
 * Elementwise and layout ops on tensors whose shapes are only known at run time. The emitter's
 * nominal shapes of these values are placeholders (RUNTIME_DIM): nothing downstream reads them,
 * the dynamic-size path never runs the static simplifier's shape-based rewrites.
 */
export class RuntimeTensors {
  readonly ints: RuntimeInts;
  constructor(readonly em: OnnxGraphEmitter) {
    this.ints = new RuntimeInts(em);
  }

  /** A node over tensors or integers; the output takes `dtype` (default: the first input's). */
  op(opType: string, inputs: readonly Operand[], dtype?: OnnxElementType, attributes = [] as Parameters<OnnxGraphEmitter['node']>[3]): OnnxValue {
    const ins = inputs.map((v) => (typeof v === 'number' ? this.ints.value(v) : v));
    const [first] = ins;
    const outDtype = dtype ?? first?.dtype;
    if (outDtype === undefined) throw new BackendError('BACKEND_FAILURE', `onnx dynamic-size export: ${opType} with no inputs needs an output dtype`);
    return this.em.node(opType, ins, { dtype: outDtype, shape: [RUNTIME_DIM] }, attributes);
  }

  add(a: Operand, b: Operand): OnnxValue {
    return this.op('Add', [a, b]);
  }
  sub(a: Operand, b: Operand): OnnxValue {
    return this.op('Sub', [a, b]);
  }
  mul(a: Operand, b: Operand): OnnxValue {
    return this.op('Mul', [a, b]);
  }
  div(a: Operand, b: Operand): OnnxValue {
    return this.op('Div', [a, b]);
  }
  mod(a: Operand, b: Operand): OnnxValue {
    return this.op('Mod', [a, b]);
  }
  less(a: Operand, b: Operand): OnnxValue {
    return this.op('Less', [a, b], 'bool');
  }
  and(a: OnnxValue, b: OnnxValue): OnnxValue {
    return this.op('And', [a, b], 'bool');
  }
  equal(a: OnnxValue, b: OnnxValue): OnnxValue {
    return this.op('Equal', [a, b], 'bool');
  }
  /** cond ? a : b, elementwise with broadcasting. */
  where(cond: OnnxValue, a: OnnxValue, b: OnnxValue): OnnxValue {
    return this.op('Where', [cond, a, b], a.dtype);
  }
  cast(x: OnnxValue, to: 'float32' | 'int64'): OnnxValue {
    return this.op('Cast', [x], to, [attr.int('to', DTYPE_CODE[to])]);
  }
  /** Inserts size-1 axes (opset 13: axes as an input). */
  unsqueeze(x: OnnxValue, axes: readonly number[]): OnnxValue {
    return this.op('Unsqueeze', [x, this.em.int64s(axes)]);
  }
  reshape(x: OnnxValue, shape: readonly RuntimeInt[]): OnnxValue {
    return this.op('Reshape', [x, this.ints.vector(shape)]);
  }
  transpose(x: OnnxValue, perm: readonly number[]): OnnxValue {
    return this.op('Transpose', [x], undefined, [attr.ints('perm', perm)]);
  }
  /** Reshape with the output named exactly `name` (a graph output). */
  reshapeNamed(x: OnnxValue, shape: readonly RuntimeInt[], name: string): OnnxValue {
    return this.em.node('Reshape', [x, this.ints.vector(shape)], { dtype: x.dtype, shape: [RUNTIME_DIM], name });
  }
  /** A float32 constant scalar (mask values, amplitudes). */
  float(value: number): OnnxValue {
    return this.em.scalar(value, 'float32');
  }
}
