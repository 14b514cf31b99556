// Graph -> Program: prepares the graph with core's passes (nothing is lowered: every op is
// native), plans fusions, makes reshapes free aliases, and turns each node or fused chain into
// steps whose dispatches are laid out per batch size at bind time.

import {
  BackendError,
  normalizeAxis,
  prepareGraph,
  resolveSlice,
  type Graph,
  type GraphNode,
  type TensorData,
  type ValueInfo,
} from '@swin/core';
import { attentionCoreDispatch } from '../kernels/window-attention.js';
import { conv2dDispatch } from '../kernels/conv2d.js';
import {
  binaryDispatch,
  castDispatch,
  fillDispatch,
  gatherDispatch,
  stridedCopyDispatch,
  unaryDispatch,
  type BinaryOp,
  type UnaryOp,
} from '../kernels/elementwise.js';
import type { DispatchSpec } from '../kernels/kernel-types.js';
import { matmulDispatch } from '../kernels/matmul.js';
import { reduceDispatch } from '../kernels/reduce.js';
import { layerNormDispatch, softmaxDispatch } from '../kernels/row-norms.js';
import { broadcastStrides, contiguousStrides, sizeOf } from '../kernels/shape-math.js';
import { patchMergingDispatch, windowPartitionDispatch, windowReverseDispatch } from '../kernels/window-layout.js';
import type { WindowMap } from '../kernels/window-map.js';
import { planFusion, type AttentionGroup, type ConvGroup, type LinearGroup } from './fusion-plan.js';
import { transposeMatrix } from './host-transpose.js';
import { NATIVE_OPS } from './native-ops.js';
import type { Program, ProgramStep, StepEnv } from './program.js';

/** Positive modulo, so a negative shift becomes the equivalent forward roll. */
function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** Builds the WebGPU program for a graph. */
export function buildProgram(source: Graph): Program {
  const graph = prepareGraph(source, NATIVE_OPS);
  for (const v of graph.values.values()) {
    if (v.dtype !== 'float32' && v.dtype !== 'int32') {
      throw new BackendError('UNSUPPORTED_DTYPE', `backend 'webgpu' runs float32 and int32 graphs (float16 via the float16 option), found ${v.dtype} value '${v.name}'`);
    }
  }
  const fusion = planFusion(graph);
  const values = new Map<string, ValueInfo>(graph.values);
  const alias = new Map<string, string>();
  const derived = new Map<string, TensorData>();
  const resolve = (n: string): string => {
    let r = n;
    while (alias.has(r)) r = alias.get(r)!;
    return r;
  };
  const isConstant = (n: string) => graph.constants.has(n) || derived.has(n);

  /** The K-major copy of a constant [N, K] weight (made once), or undefined when the weight is computed. */
  const kMajor = (w: string): string | undefined => {
    const src = resolve(w);
    const t = graph.constants.get(src);
    if (!t || t.shape.length !== 2) return undefined;
    const name = `${src}::kmajor`;
    if (!derived.has(name)) {
      const tt = transposeMatrix(t);
      derived.set(name, tt);
      values.set(name, { name, dtype: 'float32', shape: tt.shape });
    }
    return name;
  };
  const addValue = (name: string, like: ValueInfo, shape: readonly number[]) => values.set(name, { name, dtype: like.dtype, shape });
  const opt = (n: string | undefined) => (n === undefined || n === '' ? undefined : resolve(n));
  const step = (label: string, reads: readonly (string | undefined)[], output: string, make: (env: StepEnv) => DispatchSpec[]): ProgramStep => ({
    label,
    inputs: reads.filter((r): r is string => r !== undefined && r !== '').map(resolve),
    output,
    dispatches: (env) => (sizeOf(env.shape(output)) === 0 ? [] : make(env)),
  });

  function linearSteps(g: LinearGroup): ProgramStep[] {
    const [x, w, bias] = g.linear.inputs as [string, string, string];
    const wk = kMajor(w);
    const b = opt(bias);
    const residual = g.residual ? resolve(g.residual) : undefined;
    return [
      step('matmul', [x, wk ?? w, b, residual], g.output, (env) => {
        const xs = env.shape(x);
        const k = xs[xs.length - 1]!;
        const n = env.shape(w)[0]!;
        return [
          matmulDispatch({
            float: env.float,
            tiling: env.tiling,
            a: resolve(x),
            b: wk ?? resolve(w),
            transB: wk === undefined,
            ...(b ? { bias: b } : {}),
            ...(residual ? { residual } : {}),
            ...(g.gelu ? { activation: 'gelu' as const } : {}),
            out: g.output,
            m: sizeOf(xs) / k,
            k,
            n,
          }),
        ];
      }),
    ];
  }

  function attentionSteps(g: AttentionGroup): ProgramStep[] {
    const node = g.attention;
    const [x, qkvW, qkvB, projW, projB, attnBias] = node.inputs as [string, string, string, string, string, string];
    const xInfo = values.get(x)!;
    const [bw, n, c] = xInfo.shape as [number, number, number];
    const heads = node.attrs.numHeads;
    const qkvName = `${g.output}::qkv`;
    const ctxName = `${g.output}::context`;
    addValue(qkvName, xInfo, [bw, n, 3 * c]);
    addValue(ctxName, xInfo, [bw, n, c]);
    const qkvK = kMajor(qkvW);
    const projK = kMajor(projW);
    const qb = opt(qkvB);
    const pb = opt(projB);
    const residual = g.residual ? resolve(g.residual) : undefined;
    const windowsOf = (env: StepEnv) => env.shape(x)[0]!;
    const aRows = (env: StepEnv): WindowMap | undefined => {
      if (!g.partition) return undefined;
      const s = env.shape(g.source);
      const p = g.partition;
      return { window: p.window, shift: [mod(p.shift[0], p.gridHeight), mod(p.shift[1], p.gridWidth)], gridHeight: p.gridHeight, gridWidth: p.gridWidth, height: s[1]!, width: s[2]! };
    };
    const outRows = (env: StepEnv): WindowMap | undefined => {
      if (!g.reverse) return undefined;
      const s = env.shape(g.output);
      const r = g.reverse;
      return { window: r.window, shift: [mod(r.shift[0], r.gridHeight), mod(r.shift[1], r.gridWidth)], gridHeight: r.gridHeight, gridWidth: r.gridWidth, height: s[1]!, width: s[2]! };
    };
    return [
      step('attention.qkv', [g.source, qkvK ?? qkvW, qb], qkvName, (env) => {
        const map = aRows(env);
        return [
          matmulDispatch({
            float: env.float,
            tiling: env.tiling,
            a: resolve(g.source),
            b: qkvK ?? resolve(qkvW),
            transB: qkvK === undefined,
            ...(qb ? { bias: qb } : {}),
            ...(map ? { aRows: map } : {}),
            out: qkvName,
            m: windowsOf(env) * n,
            k: c,
            n: 3 * c,
          }),
        ];
      }),
      step('attention.core', [qkvName, attnBias], ctxName, (env) => [
        attentionCoreDispatch({
          float: env.float,
          qkv: qkvName,
          bias: resolve(attnBias),
          out: ctxName,
          windows: windowsOf(env),
          tokens: n,
          heads,
          headDim: c / heads,
          biasWindows: env.shape(attnBias)[0]!,
          scale: node.attrs.scale,
          tiling: env.tiling,
        }),
      ]),
      step('attention.proj', [ctxName, projK ?? projW, pb, residual], g.output, (env) => {
        const map = outRows(env);
        return [
          matmulDispatch({
            float: env.float,
            tiling: env.tiling,
            a: ctxName,
            b: projK ?? resolve(projW),
            transB: projK === undefined,
            ...(pb ? { bias: pb } : {}),
            ...(residual ? { residual } : {}),
            ...(map ? { outRows: map } : {}),
            out: g.output,
            m: windowsOf(env) * n,
            k: c,
            n: c,
          }),
        ];
      }),
    ];
  }

  function convSteps(node: GraphNode<'conv2d'>, output: string, nhwc: boolean): ProgramStep[] {
    const [x, w, bias] = node.inputs as [string, string, string];
    const b = opt(bias);
    return [
      step('conv2d', [x, w, b], output, (env) => {
        const [nb, c, h, wd] = env.shape(x) as [number, number, number, number];
        const [o, , kh, kw] = env.shape(w) as [number, number, number, number];
        const [sh, sw] = node.attrs.strides;
        const [pt, pl, pbm, pr] = node.attrs.pads;
        const geometry = {
          n: nb,
          c,
          h,
          w: wd,
          o,
          kh,
          kw,
          strides: node.attrs.strides,
          pads: node.attrs.pads,
          groups: node.attrs.groups ?? 1,
          oh: Math.floor((h + pt + pbm - kh) / sh) + 1,
          ow: Math.floor((wd + pl + pr - kw) / sw) + 1,
        };
        return [conv2dDispatch(env.float, resolve(x), resolve(w), b, output, geometry, nhwc)];
      }),
    ];
  }

  function nodeSteps(node: GraphNode): ProgramStep[] {
    const out = node.output;
    const ins = node.inputs;
    const a0 = ins[0]!;
    switch (node.op) {
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
        return [
          step(node.op, [ins[0], ins[1]], out, (env) => [
            binaryDispatch(node.op as BinaryOp, env.element(out), env.float, resolve(ins[0]!), env.shape(ins[0]!), resolve(ins[1]!), env.shape(ins[1]!), out, env.shape(out)),
          ]),
        ];
      case 'gelu':
      case 'relu':
      case 'sigmoid':
      case 'exp':
      case 'sqrt':
        return [step(node.op, [a0], out, (env) => [unaryDispatch(node.op as UnaryOp, env.float, resolve(a0), out, sizeOf(env.shape(out)))])];
      case 'matmul': {
        const transB = node.attrs.transB ?? false;
        const b0 = ins[1]!;
        return [
          step('matmul', [a0, b0], out, (env) => {
            const as = env.shape(a0);
            const bs = env.shape(b0);
            const os = env.shape(out);
            const m = as[as.length - 2]!;
            const k = as[as.length - 1]!;
            const n = os[os.length - 1]!;
            const outBatch = os.slice(0, -2);
            return [
              matmulDispatch({
                float: env.float,
                tiling: env.tiling,
                a: resolve(a0),
                b: resolve(b0),
                out,
                m,
                k,
                n,
                transB,
                batchDims: outBatch,
                aBatchStrides: broadcastStrides(as.slice(0, -2), outBatch).map((s) => s * m * k),
                bBatchStrides: broadcastStrides(bs.slice(0, -2), outBatch).map((s) => s * k * n),
              }),
            ];
          }),
        ];
      }
      case 'linear':
        return linearSteps({ kind: 'linear', linear: node, gelu: false, output: out });
      case 'layerNorm': {
        const [x, g, b] = ins as [string, string, string];
        return [
          step('layerNorm', [x, g, b], out, (env) => {
            const s = env.shape(x);
            const c = s[s.length - 1]!;
            return [layerNormDispatch(env.float, env.tiling, resolve(x), opt(g), opt(b), out, sizeOf(s) / c, c, node.attrs.eps)];
          }),
        ];
      }
      case 'softmax':
        return [
          step('softmax', [a0], out, (env) => {
            const s = env.shape(a0);
            const c = s[s.length - 1]!;
            return [softmaxDispatch(env.float, env.tiling, resolve(a0), out, sizeOf(s) / c, c)];
          }),
        ];
      case 'reshape':
        alias.set(out, resolve(a0));
        return [];
      case 'transpose': {
        const perm = node.attrs.perm;
        return [
          step('transpose', [a0], out, (env) => {
            const s = env.shape(a0);
            const st = contiguousStrides(s);
            const os = env.shape(out);
            return [stridedCopyDispatch(env.element(out), env.float, resolve(a0), out, os, perm.map((p) => st[p]!), contiguousStrides(os), 0, 0)];
          }),
        ];
      }
      case 'slice': {
        const attrs = node.attrs;
        return [
          step('slice', [a0], out, (env) => {
            const s = env.shape(a0);
            const st = contiguousStrides(s);
            const r = resolveSlice(s, attrs);
            const base = r.start.reduce((acc, v, i) => acc + v * st[i]!, 0);
            return [stridedCopyDispatch(env.element(out), env.float, resolve(a0), out, r.size, st.map((v, i) => v * r.step[i]!), contiguousStrides(r.size), base, 0)];
          }),
        ];
      }
      case 'concat': {
        const axisRaw = node.attrs.axis;
        return [
          step('concat', ins, out, (env) => {
            const os = env.shape(out);
            const axis = normalizeAxis(axisRaw, os.length, 'concat');
            const ost = contiguousStrides(os);
            const list: DispatchSpec[] = [];
            let offset = 0;
            for (const i of ins) {
              const s = env.shape(i);
              if (sizeOf(s) > 0) list.push(stridedCopyDispatch(env.element(out), env.float, resolve(i), out, s, contiguousStrides(s), ost, 0, offset * ost[axis]!));
              offset += s[axis]!;
            }
            return list;
          }),
        ];
      }
      case 'pad': {
        const attrs = node.attrs;
        return [
          step('pad', [a0], out, (env) => {
            const s = env.shape(a0);
            const os = env.shape(out);
            const ost = contiguousStrides(os);
            const list = [fillDispatch(env.element(out), env.float, out, sizeOf(os), attrs.value ?? 0)];
            const base = s.reduce((acc, _, i) => acc + attrs.pads[i]! * ost[i]!, 0);
            if (sizeOf(s) > 0) list.push(stridedCopyDispatch(env.element(out), env.float, resolve(a0), out, s, contiguousStrides(s), ost, 0, base));
            return list;
          }),
        ];
      }
      case 'gather': {
        const axisRaw = node.attrs.axis;
        const idx = ins[1]!;
        return [
          step('gather', [a0, idx], out, (env) => {
            const s = env.shape(a0);
            const axis = normalizeAxis(axisRaw, s.length, 'gather');
            return [gatherDispatch(env.element(out), env.float, resolve(a0), resolve(idx), out, sizeOf(s.slice(0, axis)), s[axis]!, sizeOf(env.shape(idx)), sizeOf(s.slice(axis + 1)))];
          }),
        ];
      }
      case 'conv2d':
        return convSteps(node, out, false);
      case 'reduceMean':
      case 'reduceSum': {
        const attrs = node.attrs;
        return [
          step(node.op, [a0], out, (env) => {
            const s = env.shape(a0);
            const axes = new Set(attrs.axes.map((a) => normalizeAxis(a, s.length, node.op)));
            return [reduceDispatch(env.float, resolve(a0), out, s, axes, node.op === 'reduceMean')];
          }),
        ];
      }
      case 'cast':
        return [step('cast', [a0], out, (env) => [castDispatch(env.element(a0), env.element(out), env.float, resolve(a0), out, sizeOf(env.shape(out)))])];
      case 'windowPartition': {
        const attrs = node.attrs;
        return [
          step('windowPartition', [a0], out, (env) => {
            const [, h, w, c] = env.shape(a0) as [number, number, number, number];
            const os = env.shape(out);
            const map: WindowMap = { window: attrs.window, shift: [mod(attrs.shift[0], h), mod(attrs.shift[1], w)], gridHeight: h, gridWidth: w, height: h, width: w };
            return [windowPartitionDispatch(env.float, resolve(a0), out, os[0]! * os[1]!, c, map)];
          }),
        ];
      }
      case 'windowReverse': {
        const attrs = node.attrs;
        return [
          step('windowReverse', [a0], out, (env) => {
            const os = env.shape(out);
            const c = os[3]!;
            const map: WindowMap = {
              window: attrs.window,
              shift: [mod(attrs.shift[0], attrs.height), mod(attrs.shift[1], attrs.width)],
              gridHeight: attrs.height,
              gridWidth: attrs.width,
              height: attrs.height,
              width: attrs.width,
            };
            return [windowReverseDispatch(env.float, resolve(a0), out, sizeOf(os) / c, c, map)];
          }),
        ];
      }
      case 'windowAttention':
        return attentionSteps({ kind: 'attention', attention: node, source: a0, output: out });
      case 'patchMerging':
        return [
          step('patchMerging', [a0], out, (env) => {
            const [b, h, w, c] = env.shape(a0) as [number, number, number, number];
            return [patchMergingDispatch(env.float, resolve(a0), out, b, h, w, c)];
          }),
        ];
    }
    const unknown: GraphNode = node;
    throw new BackendError('UNSUPPORTED_OP', `backend 'webgpu' has no kernel for op '${unknown.op}' (node '${unknown.name}')`);
  }

  const steps: ProgramStep[] = [];
  for (const node of graph.nodes) {
    if (fusion.absorbed.has(node.output)) continue;
    const group = fusion.groups.get(node.output);
    if (!group) steps.push(...nodeSteps(node));
    else if (group.kind === 'linear') steps.push(...linearSteps(group));
    else if (group.kind === 'attention') steps.push(...attentionSteps(group));
    else steps.push(...convSteps((group as ConvGroup).conv, group.output, true));
  }

  const constants = new Map<string, TensorData>();
  for (const s of steps) {
    for (const i of s.inputs) {
      if (!isConstant(i)) continue;
      constants.set(i, graph.constants.get(i) ?? derived.get(i)!);
    }
  }
  const outputs = graph.outputs.map((o) => {
    const src = resolve(o.name);
    if (isConstant(src) && !constants.has(src)) constants.set(src, graph.constants.get(src) ?? derived.get(src)!);
    return { name: o.name, source: src };
  });
  const nominalBatch = graph.inputs[0]?.shape[0] ?? 1;
  return { graph, steps, values, constants, outputs, nominalBatch };
}
