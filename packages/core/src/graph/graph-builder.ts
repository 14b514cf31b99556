import { SwinError } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import type { TensorData } from '../tensor/tensor.js';
import type { OpAttrs, OpName } from '../ops/op-set.js';
import { inferOutputType } from '../ops/shape-inference.js';
import type { Graph, GraphNode, ValueInfo } from './graph.js';

/** A value produced while building: its name plus its static type. */
export type Value = ValueInfo;

/** Optional input: a value or nothing. */
export type MaybeValue = Value | undefined;

/**
 * Builds a graph op by op, inferring each output's shape as it goes so that mistakes surface at
 * the line that made them. Node and value names are unique; `scope` prefixes them for readability.
 */
export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly constants = new Map<string, TensorData>();
  private readonly values = new Map<string, ValueInfo>();
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly metadata: Record<string, string> = {};
  private readonly scopes: string[] = [];
  private counter = 0;

  constructor(private readonly dynamicBatch = true) {}

  /** Runs `fn` with names prefixed by `name/`. */
  scope<T>(name: string, fn: () => T): T {
    this.scopes.push(name);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  private uniqueName(base: string): string {
    const prefix = this.scopes.length ? `${this.scopes.join('/')}/` : '';
    let name = `${prefix}${base}`;
    while (this.values.has(name)) name = `${prefix}${base}_${++this.counter}`;
    return name;
  }

  /** Declares a graph input. */
  input(name: string, dtype: DType, shape: readonly number[]): Value {
    if (this.values.has(name)) throw new SwinError('INVALID_ARGUMENT', `duplicate value name '${name}'`);
    const v: ValueInfo = { name, dtype, shape: [...shape] };
    this.values.set(name, v);
    this.inputs.push(v);
    return v;
  }

  /** Adds a constant (a weight or a precomputed table) under an exact name. */
  constant(name: string, t: TensorData): Value {
    if (this.values.has(name)) throw new SwinError('INVALID_ARGUMENT', `duplicate value name '${name}'`);
    const v: ValueInfo = { name, dtype: t.dtype, shape: [...t.shape] };
    this.values.set(name, v);
    this.constants.set(name, t);
    return v;
  }

  /** Adds a constant under a fresh scoped name. */
  literal(base: string, t: TensorData): Value {
    return this.constant(this.uniqueName(base), t);
  }

  /** Marks a value as a graph output; name it exactly with `op(..., name, true)` when it is produced. */
  output(v: Value): Value {
    if (this.outputs.some((o) => o.name === v.name)) throw new SwinError('INVALID_ARGUMENT', `'${v.name}' is already an output`);
    this.outputs.push(v);
    return v;
  }

  /** Records a metadata entry on the graph. */
  setMetadata(key: string, value: string): void {
    this.metadata[key] = value;
  }

  /** Applies `op`; returns its output value. */
  op<O extends OpName>(op: O, inputs: readonly MaybeValue[], attrs: OpAttrs[O], name?: string, exactName = false): Value {
    const type = inferOutputType(op, inputs, attrs);
    const outName = exactName && name !== undefined ? name : this.uniqueName(name ?? op);
    if (this.values.has(outName)) throw new SwinError('INVALID_ARGUMENT', `duplicate value name '${outName}'`);
    const out: ValueInfo = { name: outName, dtype: type.dtype, shape: [...type.shape] };
    this.values.set(outName, out);
    this.nodes.push({ op, name: outName, inputs: inputs.map((v) => v?.name ?? ''), output: outName, attrs } as GraphNode);
    return out;
  }

  add(a: Value, b: Value, name?: string): Value {
    return this.op('add', [a, b], {}, name);
  }
  sub(a: Value, b: Value, name?: string): Value {
    return this.op('sub', [a, b], {}, name);
  }
  mul(a: Value, b: Value, name?: string): Value {
    return this.op('mul', [a, b], {}, name);
  }
  div(a: Value, b: Value, name?: string): Value {
    return this.op('div', [a, b], {}, name);
  }
  gelu(x: Value, name?: string): Value {
    return this.op('gelu', [x], {}, name);
  }
  relu(x: Value, name?: string): Value {
    return this.op('relu', [x], {}, name);
  }
  matmul(a: Value, b: Value, transB = false, name?: string): Value {
    return this.op('matmul', [a, b], transB ? { transB } : {}, name);
  }
  layerNorm(x: Value, gamma: MaybeValue, beta: MaybeValue, eps = 1e-5, name?: string): Value {
    return this.op('layerNorm', [x, gamma, beta], { eps }, name);
  }
  softmax(x: Value, name?: string): Value {
    return this.op('softmax', [x], {}, name);
  }
  reshape(x: Value, shape: readonly number[], name?: string): Value {
    return this.op('reshape', [x], { shape: [...shape] }, name);
  }
  transpose(x: Value, perm: readonly number[], name?: string): Value {
    return this.op('transpose', [x], { perm: [...perm] }, name);
  }
  slice(x: Value, attrs: OpAttrs['slice'], name?: string): Value {
    return this.op('slice', [x], attrs, name);
  }
  concat(xs: readonly Value[], axis: number, name?: string): Value {
    return this.op('concat', xs, { axis }, name);
  }
  pad(x: Value, pads: readonly number[], value = 0, name?: string): Value {
    return this.op('pad', [x], value === 0 ? { pads: [...pads] } : { pads: [...pads], value }, name);
  }
  gather(data: Value, indices: Value, axis: number, name?: string): Value {
    return this.op('gather', [data, indices], { axis }, name);
  }
  conv2d(x: Value, w: Value, bias: MaybeValue, attrs: OpAttrs['conv2d'], name?: string): Value {
    return this.op('conv2d', [x, w, bias], attrs, name);
  }
  reduceMean(x: Value, axes: readonly number[], keepDims = false, name?: string): Value {
    return this.op('reduceMean', [x], { axes: [...axes], keepDims }, name);
  }
  linear(x: Value, w: Value, bias: MaybeValue, name?: string): Value {
    return this.op('linear', [x, w, bias], {}, name);
  }

  /** True when a value of that name exists. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** True when `v` is the output of the most recently added node. */
  isLastOutput(v: Value): boolean {
    const last = this.nodes[this.nodes.length - 1];
    return last !== undefined && last.output === v.name;
  }

  /** Renames the output of the most recently added node (it has no consumers yet). */
  renameLast(v: Value, name: string): Value {
    if (!this.isLastOutput(v)) throw new SwinError('INVALID_ARGUMENT', `renameLast: '${v.name}' is not the last node's output`);
    if (this.values.has(name)) throw new SwinError('INVALID_ARGUMENT', `duplicate value name '${name}'`);
    const node = this.nodes.pop()!;
    this.values.delete(v.name);
    const out: ValueInfo = { ...v, name };
    this.values.set(name, out);
    this.nodes.push({ ...node, name, output: name } as GraphNode);
    return out;
  }

  /** Finishes the graph. */
  build(): Graph {
    return {
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      nodes: [...this.nodes],
      constants: new Map(this.constants),
      values: new Map(this.values),
      dynamicBatch: this.dynamicBatch,
      metadata: { ...this.metadata },
    };
  }
}
