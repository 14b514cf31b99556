import { SwinError, WeightError, dimAt, type TensorData } from '@swin/core';
import { attr } from '../onnx/onnx-attributes.js';
import { emitGelu } from '../emit/emit-gelu.js';
import type { OnnxGraphEmitter, OnnxValue } from '../emit/onnx-graph-emitter.js';
import { rowBlock } from '../emit/weight-transforms.js';
import type { AttentionProjections } from './grouped-attention.js';
import { RUNTIME_DIM, type RuntimeInt } from './runtime-ints.js';
import { RuntimeTensors } from './runtime-tensors.js';
import { groupedSources, ungroupedSlots, type GroupedSources, type TokenGrouping } from './token-grouping.js';

/**
 * A feature map between layers: tokens as a [B * H * W, C] matrix (row-major over the map), so
 * LayerNorm, Gemm and residual adds need no reshape; H and W come from the run.
 */
export interface TokenMap {
  readonly x: OnnxValue;
  readonly height: RuntimeInt;
  readonly width: RuntimeInt;
  readonly channels: number;
}

/** What a named output holds: an NHWC map, or a [B, features] row per image. */
type Exposed = { readonly map: TokenMap } | { readonly rows: OnnxValue; readonly features: number };

/**
 * The layers every family's size-generic graph is made of, over an OnnxGraphEmitter whose source
 * graph supplies the weights (core's canonical names): LayerNorm, Linear, MLP, grouping and
 * ungrouping tokens by computed Gathers, convolution stacks, the classifier head, named outputs.
 */
export class DynamicModel {
  readonly rt: RuntimeTensors;
  /** The batch size, from the input's shape. */
  readonly batch: OnnxValue;
  private readonly exposed = new Map<string, Exposed>();
  private readonly cache = new Map<string, unknown>();

  constructor(
    readonly em: OnnxGraphEmitter,
    readonly input: OnnxValue,
    readonly layerNormEps: number,
  ) {
    this.rt = new RuntimeTensors(em);
    this.batch = this.rt.ints.dim(input, 0);
  }

  /** Computes once per key: index vectors and masks shared by the blocks of a stage. */
  shared<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }

  /** A weight's data; a missing one is the error the builders give. */
  tensor(name: string): TensorData {
    const t = this.em.constantOf(name);
    if (!t) throw new WeightError('MISSING_WEIGHT', name, `dynamic-size export: weight '${name}' is missing from the graph`);
    return t;
  }
  weight(name: string): OnnxValue {
    this.tensor(name);
    return this.em.value(name);
  }
  maybeWeight(name: string): OnnxValue | undefined {
    return this.em.constantOf(name) ? this.em.value(name) : undefined;
  }

  /** x @ w^T, then the bias as its own Add: onnxruntime's Gemm copies a bias input into its output on one thread (emitLinear). */
  linear(x: OnnxValue, prefix: string): OnnxValue {
    const bias = this.maybeWeight(`${prefix}.bias`);
    const product = this.rt.op('Gemm', [x, this.weight(`${prefix}.weight`)], 'float32', [attr.int('transB', 1)]);
    return bias ? this.rt.op('Add', [product, bias], 'float32') : product;
  }
  norm(x: OnnxValue, prefix: string): OnnxValue {
    return this.rt.op('LayerNormalization', [x, this.weight(`${prefix}.weight`), this.weight(`${prefix}.bias`)], 'float32', [
      attr.int('axis', -1),
      attr.float('epsilon', this.layerNormEps),
    ]);
  }
  /** fc1, GELU, fc2. */
  mlp(x: OnnxValue, prefix: string): OnnxValue {
    const h = this.linear(x, `${prefix}.fc1`);
    return this.linear(emitGelu(this.em, h, { dtype: 'float32', shape: [RUNTIME_DIM] }), `${prefix}.fc2`);
  }

  /** [B * L, C] -> [B, L, C]. */
  perImage(x: OnnxValue, channels: number): OnnxValue {
    return this.rt.reshape(x, [this.batch, -1, channels]);
  }

  /** Tokens of a map moved into groups by one Gather (padding read from an appended zero row): [B * nG * N, C]. */
  group(map: TokenMap, x: OnnxValue, sources: GroupedSources): OnnxValue {
    return this.gatherRows(x, map.channels, sources.index, true);
  }

  /** Attention output [B * nG * N, C] back to the map's [B * H * W, C]: un-rolled and cropped by one Gather. */
  ungroup(y: OnnxValue, channels: number, grouping: TokenGrouping, key: string): OnnxValue {
    const slots = this.shared(`${key}:slots`, () => ungroupedSlots(this.rt, grouping));
    return this.gatherRows(y, channels, slots, false);
  }

  /** The grouped sources of a grouping, computed once per key. */
  sources(grouping: TokenGrouping, key: string): GroupedSources {
    return this.shared(`${key}:sources`, () => groupedSources(this.rt, grouping));
  }

  /** Rows of each image's [L, C] token matrix by index ([B, idx, C] flattened); withZeroRow appends row L = zeros first. */
  gatherRows(x: OnnxValue, channels: number, index: OnnxValue, withZeroRow: boolean): OnnxValue {
    let tokens = this.perImage(x, channels);
    if (withZeroRow) tokens = this.rt.op('Pad', [tokens, this.em.int64s([0, 0, 0, 0, 1, 0]), this.rt.float(0)], 'float32', [attr.string('mode', 'constant')]);
    const moved = this.rt.op('Gather', [tokens, index], 'float32', [attr.int('axis', 1)]);
    return this.rt.reshape(moved, [-1, channels]);
  }

  /**
   * q, k, v and output projections from `${prefix}.qkv.weight` [3C, C] (rows q | k | v) and
   * `${prefix}.proj`; `qScale` is folded into q's rows; `biases` default to `${prefix}.qkv.bias`.
   */
  attentionProjections(prefix: string, channels: number, qScale: number, biases?: readonly (TensorData | undefined)[]): AttentionProjections {
    const qkv = this.tensor(`${prefix}.qkv.weight`);
    const qkvBias = this.em.constantOf(`${prefix}.qkv.bias`);
    const part = (i: number, what: string) => {
      const s = i === 0 ? qScale : 1;
      const b = biases ? biases[i] : qkvBias && rowBlock(qkvBias, i * channels, (i + 1) * channels);
      return {
        weight: this.em.initializer(`${prefix}.qkv/${what}_weight`, rowBlock(qkv, i * channels, (i + 1) * channels, s)),
        bias: b ? this.em.initializer(`${prefix}.qkv/${what}_bias`, rowBlock(b, 0, channels, s)) : undefined,
      };
    };
    return { q: part(0, 'q'), k: part(1, 'k'), v: part(2, 'v'), projWeight: this.weight(`${prefix}.proj.weight`), projBias: this.maybeWeight(`${prefix}.proj.bias`) };
  }

  /**
   * Convolutions of several kernels and one stride over NCHW x, padding (k - stride) / 2 each,
   * concatenated on channels (CrossFormer's cross-scale layers; one kernel for Swin's patch embed,
   * CrossFormer++'s depth-wise cooling layer with `groups` = channels). `prefixes[i]` names kernel
   * i's weight and bias. Returns the NHWC result as a TokenMap.
   */
  convolutions(x: OnnxValue, prefixes: readonly string[], kernels: readonly number[], stride: number, groups = 1): TokenMap {
    // prefixes has one name per kernel (the callers build them from the same list).
    const maps = kernels.map((k, i) => {
      const prefix = prefixes[i]!;
      const w = this.weight(`${prefix}.weight`);
      const bias = this.maybeWeight(`${prefix}.bias`);
      const pad = (k - stride) / 2;
      return {
        channels: dimAt(w.shape, 0, `${prefix}.weight`),
        value: this.rt.op('Conv', bias ? [x, w, bias] : [x, w], 'float32', [
          attr.ints('kernel_shape', [k, k]),
          attr.ints('strides', [stride, stride]),
          attr.ints('pads', [pad, pad, pad, pad]),
          ...(groups === 1 ? [] : [attr.int('group', groups)]),
        ]),
      };
    });
    const channels = maps.reduce((a, m) => a + m.channels, 0);
    const [only] = maps;
    const cat = only && maps.length === 1 ? only.value : this.rt.op('Concat', maps.map((m) => m.value), 'float32', [attr.int('axis', 1)]);
    const nhwc = this.rt.transpose(cat, [0, 2, 3, 1]);
    return { x: this.rt.reshape(nhwc, [-1, channels]), height: this.rt.ints.dim(nhwc, 1), width: this.rt.ints.dim(nhwc, 2), channels };
  }

  /** A map as NCHW [B, C, H, W] (for convolutions). */
  nchw(map: TokenMap, x = map.x): OnnxValue {
    return this.rt.transpose(this.rt.reshape(x, [this.batch, map.height, map.width, map.channels]), [0, 3, 1, 2]);
  }

  expose(name: string, what: Exposed): void {
    this.exposed.set(name, what);
  }

  /** The shared head: LayerNorm 'norm' (norm_out), mean over tokens (pooled), Linear 'head' (logits) when the model has classes. */
  head(map: TokenMap, numClasses: number): void {
    const normed = { ...map, x: this.norm(map.x, 'norm') };
    this.expose('norm_out', { map: normed });
    const pooled = this.rt.op('ReduceMean', [this.perImage(normed.x, map.channels)], 'float32', [attr.ints('axes', [1]), attr.int('keepdims', 0)]);
    this.expose('pooled', { rows: pooled, features: map.channels });
    if (numClasses > 0) this.expose('logits', { rows: this.linear(pooled, 'head'), features: numClasses });
  }

  /** Emits the wanted outputs under their names; returns each one's symbolic shape. */
  finishOutputs(names: readonly string[], batchDim: number | string): { name: string; shape: (number | string)[] }[] {
    return names.map((name) => {
      const e = this.exposed.get(name);
      if (!e) throw new SwinError('INVALID_ARGUMENT', `dynamic-size export: expected an output the model builders name (logits, pooled, stage{i}...), found '${name}'`);
      if ('map' in e) {
        const m = e.map;
        this.rt.reshapeNamed(m.x, [this.batch, m.height, m.width, m.channels], name);
        return { name, shape: [batchDim, `${name}_height`, `${name}_width`, m.channels] };
      }
      this.em.node('Identity', [e.rows], { dtype: 'float32', shape: [RUNTIME_DIM], name });
      return { name, shape: [batchDim, e.features] };
    });
  }
}
