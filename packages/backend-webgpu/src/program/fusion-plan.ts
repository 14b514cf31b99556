// Finds the chains the fused kernels replace. Only values with exactly one reader (graph outputs
// count as a reader) are absorbed, so fusing never hides a value anyone else needs; anything that
// does not match a pattern exactly runs node by node.

import { dimsOf, type Graph, type GraphNode, type OpAttrs } from '@swin/core';
import { nodeInputs } from './node-inputs.js';

/** A linear whose epilogue absorbs a GELU and/or a residual add. */
export interface LinearGroup {
  readonly kind: 'linear';
  readonly linear: GraphNode<'linear'>;
  readonly gelu: boolean;
  readonly residual?: string;
  readonly output: string;
}

/** windowAttention with its partition (+pad) folded into the qkv matmul's reads and its reverse (+crop, +residual) into the proj matmul's writes. */
export interface AttentionGroup {
  readonly kind: 'attention';
  readonly attention: GraphNode<'windowAttention'>;
  /** Value the qkv matmul reads rows from: the partition's (unpadded) source, or the attention input itself. */
  readonly source: string;
  readonly partition?: { readonly window: readonly [number, number]; readonly shift: readonly [number, number]; readonly gridHeight: number; readonly gridWidth: number };
  readonly reverse?: { readonly window: readonly [number, number]; readonly shift: readonly [number, number]; readonly gridHeight: number; readonly gridWidth: number };
  readonly residual?: string;
  readonly output: string;
}

/** conv2d whose NCHW -> NHWC transpose is written directly. */
export interface ConvGroup {
  readonly kind: 'conv';
  readonly conv: GraphNode<'conv2d'>;
  readonly output: string;
}

export type FusionGroup = LinearGroup | AttentionGroup | ConvGroup;

/** Fusion decisions: nodes (by output) that emit nothing, and groups emitted at their last node. */
export interface FusionPlan {
  readonly absorbed: ReadonlySet<string>;
  readonly groups: ReadonlyMap<string, FusionGroup>;
}

/** Plans the fusions of a prepared graph. */
export function planFusion(graph: Graph): FusionPlan {
  const producer = new Map<string, GraphNode>();
  const readers = new Map<string, GraphNode[]>();
  const uses = new Map<string, number>();
  for (const node of graph.nodes) {
    producer.set(node.output, node);
    for (const n of node.inputs) {
      if (n === '') continue;
      uses.set(n, (uses.get(n) ?? 0) + 1);
      readers.set(n, [...(readers.get(n) ?? []), node]);
    }
  }
  for (const o of graph.outputs) uses.set(o.name, (uses.get(o.name) ?? 0) + 1);
  const shapeOf = (n: string) => graph.values.get(n)!.shape;
  const dtypeOf = (n: string) => graph.values.get(n)!.dtype;
  const sameShape = (a: string, b: string) => {
    const x = shapeOf(a);
    const y = shapeOf(b);
    return x.length === y.length && x.every((d, i) => d === y[i]);
  };
  /** The only reader of `value`, when it has exactly one and is of op `op`. */
  function soleReader<O extends GraphNode['op']>(value: string, op: O): GraphNode<O> | undefined {
    if (uses.get(value) !== 1) return undefined;
    const r = readers.get(value)?.[0];
    return r && r.op === op ? (r as GraphNode<O>) : undefined;
  }
  /** Producer of `value` when `value` is read only once and the producer is of op `op`. */
  function soleProducer<O extends GraphNode['op']>(value: string, op: O): GraphNode<O> | undefined {
    if (uses.get(value) !== 1) return undefined;
    const p = producer.get(value);
    return p && p.op === op ? (p as GraphNode<O>) : undefined;
  }
  /** An add reading `value` once plus a distinct same-shape operand: the residual to fuse. */
  function residualAdd(value: string): { add: GraphNode; other: string } | undefined {
    const add = soleReader(value, 'add');
    if (!add) return undefined;
    const { a, b } = nodeInputs(add);
    const other = a === value ? b : a;
    if (other === value || !sameShape(other, value) || dtypeOf(other) !== dtypeOf(value)) return undefined;
    if (!sameShape(add.output, value)) return undefined;
    return { add, other };
  }

  const absorbed = new Set<string>();
  const groups = new Map<string, FusionGroup>();

  for (const node of graph.nodes) {
    if (node.op === 'windowAttention') {
      const attention = node;
      let source = nodeInputs(attention).x;
      let partition: AttentionGroup['partition'];
      const part = soleProducer(source, 'windowPartition');
      if (part) {
        let from = nodeInputs(part).x;
        const [, gh, gw] = dimsOf(shapeOf(from), 4, 'windowPartition input');
        const pad = soleProducer(from, 'pad');
        if (pad && isBottomRightSpatialZeroPad(pad.attrs)) {
          absorbed.add(pad.output);
          from = nodeInputs(pad).x;
        }
        absorbed.add(part.output);
        partition = { window: part.attrs.window, shift: part.attrs.shift, gridHeight: gh, gridWidth: gw };
        source = from;
      }
      let output = attention.output;
      let reverse: AttentionGroup['reverse'];
      let residual: string | undefined;
      const rev = soleReader(output, 'windowReverse');
      if (rev) {
        absorbed.add(output);
        output = rev.output;
        reverse = { window: rev.attrs.window, shift: rev.attrs.shift, gridHeight: rev.attrs.height, gridWidth: rev.attrs.width };
        const crop = soleReader(output, 'slice');
        if (crop && isSpatialCrop(crop.attrs)) {
          absorbed.add(output);
          output = crop.output;
        }
        const res = residualAdd(output);
        if (res) {
          absorbed.add(output);
          output = res.add.output;
          residual = res.other;
        }
      }
      if (output !== attention.output) absorbed.add(attention.output);
      absorbed.delete(output);
      groups.set(output, { kind: 'attention', attention, source, ...(partition ? { partition } : {}), ...(reverse ? { reverse } : {}), ...(residual ? { residual } : {}), output });
    } else if (node.op === 'linear') {
      const linear = node;
      let output = linear.output;
      let gelu = false;
      const g = soleReader(output, 'gelu');
      if (g) {
        absorbed.add(output);
        output = g.output;
        gelu = true;
      }
      const res = residualAdd(output);
      let residual: string | undefined;
      if (res) {
        absorbed.add(output);
        output = res.add.output;
        residual = res.other;
      }
      groups.set(output, { kind: 'linear', linear, gelu, ...(residual ? { residual } : {}), output });
    } else if (node.op === 'conv2d') {
      const t = soleReader(node.output, 'transpose');
      if (t && t.attrs.perm.join(',') === '0,2,3,1') {
        absorbed.add(node.output);
        groups.set(t.output, { kind: 'conv', conv: node, output: t.output });
      }
    }
  }
  return { absorbed, groups };
}

/** True for a zero pad of a rank-4 NHWC map at the bottom/right of H and W only (torchvision's window padding). */
function isBottomRightSpatialZeroPad(attrs: OpAttrs['pad']): boolean {
  const p = attrs.pads;
  return p.length === 8 && (attrs.value ?? 0) === 0 && p[0] === 0 && p[1] === 0 && p[2] === 0 && p[3] === 0 && p[4] === 0 && p[7] === 0;
}

/** True for x[:, :H, :W] (starts 0, unit steps, axes 1 and 2 only): the crop after a padded reverse. */
function isSpatialCrop(attrs: OpAttrs['slice']): boolean {
  const axes = [...attrs.axes].sort().join(',');
  return (axes === '1,2' || axes === '1' || axes === '2') && attrs.starts.every((s) => s === 0) && (attrs.steps ?? []).every((s) => s === 1) && attrs.ends.every((e) => e >= 0);
}
