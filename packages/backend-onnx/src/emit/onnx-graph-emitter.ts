import { BackendError, bindInputs, toFloat16, toFloat32, type DType, type Graph, type GraphNode, type InputsOf, type OpName, type TensorData } from '@swin/core';
import { attr } from '../onnx/onnx-attributes.js';
import { onnxDataType, tensorBytes } from '../onnx/onnx-dtype.js';
import type { OnnxAttribute, OnnxElementType, OnnxNode, OnnxTensor } from '../onnx/onnx-model.js';

export type { OnnxElementType } from '../onnx/onnx-model.js';

/** What the emitter produces: fp32 or fp16 compute, standard or contrib ops, fixed or symbolic batch. */
export interface EmitOptions {
  readonly computeDtype: 'float32' | 'float16';
  /** Int8 weights for every linear layer, activations quantized at run time (see emit-int8-linear). */
  readonly int8Weights: boolean;
  readonly allowContribOps: boolean;
  readonly dynamicBatch: boolean;
}

/** A value of the ONNX graph under construction, typed at the core graph's nominal batch. */
export interface OnnxValue {
  readonly name: string;
  readonly dtype: OnnxElementType;
  readonly shape: readonly number[];
}

/** The type of a value without its name: for a node whose output matches an input's type. */
export function sameTypeAs(v: OnnxValue): { dtype: OnnxElementType; shape: readonly number[] } {
  return { dtype: v.dtype, shape: v.shape };
}

/** Float constants of rank >= 3 and at least 64 KiB: the folded attention bias tables. */
function isLargeTable(t: TensorData): boolean {
  return (t.dtype === 'float32' || t.dtype === 'float16') && t.shape.length >= 3 && t.data.byteLength >= 65536;
}

/**
 * Accumulates ONNX nodes and initializers while core nodes are translated. Core constants become
 * initializers only when an emitted node reads them as they are, so a weight that an emitter
 * transforms at export time (scale folded, pre-transposed) is not stored twice. Small integer
 * constants (shapes, axes, indices) are deduplicated by content.
 */
export class OnnxGraphEmitter {
  readonly nodes: OnnxNode[] = [];
  private readonly initializers = new Map<string, OnnxTensor>();
  private readonly types = new Map<string, OnnxValue>();
  private readonly names = new Set<string>();
  private readonly byContent = new Map<string, string>();
  private readonly renamed = new Map<string, string>();
  /** Name scope for fresh names: the core node being translated. */
  scope = '';

  constructor(
    private readonly graph: Graph,
    readonly options: EmitOptions,
  ) {
    for (const name of graph.values.keys()) this.names.add(name);
  }

  /** The dtype a core value is stored in: floats take the compute dtype. */
  storageDtype(dtype: OnnxElementType): OnnxElementType {
    return dtype === 'float32' || dtype === 'float16' ? this.options.computeDtype : dtype;
  }

  /** A fresh value name under the current scope. */
  fresh(base: string): string {
    const stem = this.scope ? `${this.scope}/${base}` : base;
    let name = stem;
    for (let i = 1; this.names.has(name); i++) name = `${stem}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Makes `onnxName` stand for the core value `coreName` (e.g. the fp16 cast of a graph input). */
  alias(coreName: string, value: OnnxValue): void {
    this.renamed.set(coreName, value.name);
    this.types.set(value.name, value);
  }

  /** Constant data of a core value, or undefined when it is computed at run time. */
  constantOf(coreName: string): TensorData | undefined {
    return coreName === '' ? undefined : this.graph.constants.get(coreName);
  }

  /** The ONNX value standing for a core value, materializing a constant as an initializer on first use. */
  value(coreName: string): OnnxValue {
    const onnxName = this.renamed.get(coreName) ?? coreName;
    const known = this.types.get(onnxName);
    if (known) return known;
    const t = this.graph.constants.get(coreName);
    if (t) return this.options.int8Weights && isLargeTable(t) ? this.halfStoredTable(coreName, t) : this.putInitializer(coreName, t);
    const info = this.graph.values.get(coreName);
    if (!info) throw new BackendError('BACKEND_FAILURE', `onnx export: value '${coreName}' is read before it is produced`);
    throw new BackendError('BACKEND_FAILURE', `onnx export: value '${coreName}' (${info.dtype}) has no ONNX producer yet`);
  }

  /** A core node's inputs in order, absent optional ones as undefined: for ops that pass them all through. */
  positionalInputs(node: Pick<GraphNode, 'inputs'>): (OnnxValue | undefined)[] {
    return node.inputs.map((n) => (n === '' ? undefined : this.value(n)));
  }

  /** A core node's inputs by name (core's OP_INPUTS), as ONNX values. */
  inputs<O extends OpName>(node: GraphNode<O>): InputsOf<O, OnnxValue> {
    return bindInputs(node.op, this.positionalInputs(node), `onnx export: node '${node.name}'`);
  }

  /** A core node's input value names by name, for emitters that look at constants before making values. */
  inputNames<O extends OpName>(node: GraphNode<O>): InputsOf<O, string> {
    return bindInputs(node.op, node.inputs.map((n) => (n === '' ? undefined : n)), `onnx export: node '${node.name}'`);
  }

  /** Records a type for a graph input (or any value produced outside `node`). */
  declare(value: OnnxValue): OnnxValue {
    this.types.set(value.name, value);
    this.names.add(value.name);
    return value;
  }

  /** Type of an ONNX value. */
  typeOf(name: string): OnnxValue | undefined {
    return this.types.get(name);
  }

  /**
   * An int8 file stores the large float tables (attention bias + shift mask, [nW, heads, N, N]) in
   * float16 with a Cast that onnxruntime folds when it creates the session: 2.5 MB fewer for
   * Swin-T, so the file stays under a quarter of the float32 one. Their float16 rounding (relative
   * 2^-11) is far below the int8 products' own.
   */
  private halfStoredTable(coreName: string, t: TensorData): OnnxValue {
    const name = this.fresh(`${coreName}/f16`);
    this.initializers.set(name, { name, dataType: onnxDataType('float16'), dims: [...t.shape], rawData: tensorBytes(toFloat16(t)) });
    this.declare({ name, dtype: 'float16', shape: [...t.shape] });
    const saved = this.scope;
    this.scope = '';
    try {
      const cast = this.node('Cast', [this.types.get(name)!], { dtype: 'float32', shape: [...t.shape], name: this.fresh(coreName) }, [attr.int('to', onnxDataType('float32'))]);
      this.alias(coreName, cast);
      return cast;
    } finally {
      this.scope = saved;
    }
  }

  private putInitializer(name: string, t: TensorData): OnnxValue {
    const dtype = this.storageDtype(t.dtype);
    const data = dtype === t.dtype ? t : dtype === 'float16' ? toFloat16(t) : toFloat32(t);
    this.initializers.set(name, { name, dataType: onnxDataType(dtype), dims: [...t.shape], rawData: tensorBytes(data) });
    this.names.add(name);
    return this.declare({ name, dtype, shape: [...t.shape] });
  }

  /** Adds an export-time constant (a transformed weight, a permutation) under a fresh name. */
  initializer(base: string, t: TensorData): OnnxValue {
    return this.putInitializer(this.fresh(base), t);
  }

  /** Adds an export-time constant of raw element bytes (int8 weights, their scales) under a fresh name. */
  rawInitializer(base: string, dtype: OnnxElementType, dims: readonly number[], data: ArrayBufferView): OnnxValue {
    const name = this.fresh(base);
    this.initializers.set(name, { name, dataType: onnxDataType(dtype), dims: [...dims], rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return this.declare({ name, dtype, shape: [...dims] });
  }

  /** A deduplicated int64 vector initializer (Reshape shapes, Slice bounds, Pad amounts...). */
  int64s(values: readonly number[]): OnnxValue {
    const key = `i64:${values.join(',')}`;
    const hit = this.byContent.get(key);
    if (hit) return this.types.get(hit)!;
    const name = this.freshGlobal(`const_i64_${values.length}`);
    this.byContent.set(key, name);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.set(name, { name, dataType: onnxDataType('int64'), dims: [values.length], rawData: new Uint8Array(data.buffer) });
    return this.declare({ name, dtype: 'int64', shape: [values.length] });
  }

  /** A deduplicated scalar initializer of the given dtype (floats in the compute dtype). */
  scalar(value: number, dtype: OnnxElementType): OnnxValue {
    const stored = this.storageDtype(dtype);
    const key = `s:${stored}:${Object.is(value, -0) ? '-0' : value}`;
    const hit = this.byContent.get(key);
    if (hit) return this.types.get(hit)!;
    const name = this.freshGlobal(`const_${stored}`);
    this.byContent.set(key, name);
    const t: TensorData =
      stored === 'float32' || stored === 'float16' ? { dtype: 'float32', shape: [], data: Float32Array.of(value) }
      : stored === 'int64' ? { dtype: 'int64', shape: [], data: BigInt64Array.of(BigInt(Math.trunc(value))) }
      : { dtype: 'int32', shape: [], data: Int32Array.of(value) };
    return this.putInitializer(name, t);
  }

  /**
   * A deduplicated index initializer (Gather permutations shared by blocks of equal geometry):
   * a vector, or `dims` when the Gather should also split the gathered axis.
   */
  indices(key: string, make: () => Int32Array, dims?: readonly number[]): OnnxValue {
    const hit = this.byContent.get(`idx:${key}`);
    if (hit) return this.types.get(hit)!;
    const data = make();
    const name = this.freshGlobal('gather_indices');
    this.byContent.set(`idx:${key}`, name);
    const shape = dims ? [...dims] : [data.length];
    if (shape.reduce((a, d) => a * d, 1) !== data.length) throw new BackendError('BACKEND_FAILURE', `onnx export: index table '${key}' has ${data.length} entries, expected dims [${shape.join(', ')}]`);
    this.initializers.set(name, { name, dataType: onnxDataType('int32'), dims: shape, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return this.declare({ name, dtype: 'int32', shape });
  }

  private freshGlobal(base: string): string {
    const saved = this.scope;
    this.scope = '';
    try {
      return this.fresh(base);
    } finally {
      this.scope = saved;
    }
  }

  /**
   * Adds a node with one output. `out.name` fixes the output name (a core value's name); otherwise
   * a fresh name is derived from the op type.
   */
  node(
    opType: string,
    inputs: readonly (OnnxValue | undefined)[],
    out: { readonly dtype: OnnxElementType; readonly shape: readonly number[]; readonly name?: string },
    attributes: readonly OnnxAttribute[] = [],
    domain = '',
  ): OnnxValue {
    // One output asked for, one value back.
    return this.nodeWithOutputs(opType, inputs, [out], attributes, domain)[0]!;
  }

  /** Adds a node with several outputs (DynamicQuantizeLinear's value, scale and zero point). */
  nodeWithOutputs(
    opType: string,
    inputs: readonly (OnnxValue | undefined)[],
    outs: readonly { readonly dtype: OnnxElementType; readonly shape: readonly number[]; readonly name?: string }[],
    attributes: readonly OnnxAttribute[] = [],
    domain = '',
  ): OnnxValue[] {
    if (domain !== '' && !this.options.allowContribOps) {
      throw new BackendError('UNSUPPORTED_OP', `onnx export: ${domain}.${opType} is an onnxruntime contrib op: expected standard ops only (allowContribOps is off)`);
    }
    const named = outs.map((o) => ({ name: o.name ?? this.fresh(opType.toLowerCase()), dtype: o.dtype, shape: [...o.shape] }));
    const [first] = named;
    if (!first) throw new BackendError('BACKEND_FAILURE', `onnx export: a ${opType} node with no outputs`);
    for (const o of named) this.names.add(o.name);
    // Trailing absent optional inputs are dropped; inner ones stay as '' (ONNX's marker).
    const names = inputs.map((v) => v?.name ?? '');
    while (names.length && names[names.length - 1] === '') names.pop();
    this.nodes.push({ opType, domain, name: first.name, inputs: names, outputs: named.map((o) => o.name), attributes });
    return named.map((o) => this.declare(o));
  }

  /** The initializers `nodes` read, in first-use order (export-time leftovers are dropped). */
  initializersReadBy(nodes: readonly OnnxNode[]): OnnxTensor[] {
    const out: OnnxTensor[] = [];
    const seen = new Set<string>();
    for (const n of nodes) {
      for (const i of n.inputs) {
        const t = this.initializers.get(i);
        if (t && !seen.has(i)) {
          seen.add(i);
          out.push(t);
        }
      }
    }
    return out;
  }
}
