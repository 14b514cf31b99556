import { ALL_OPS, SwinError, prepareGraph, type Graph, type OpName } from '@swin/core';
import { buildDynamicSizeOnnxModel } from './dynamic-size/build-dynamic-size-model.js';
import { emitNode } from './emit/onnx-emitters.js';
import { OnnxGraphEmitter } from './emit/onnx-graph-emitter.js';
import { simplifyOnnxGraph } from './emit/simplify-onnx-graph.js';
import { attr } from './onnx/onnx-attributes.js';
import { encodeOnnxModel } from './onnx/encode-onnx-model.js';
import { onnxDataType } from './onnx/onnx-dtype.js';
import type { OnnxDim, OnnxModel, OnnxValueInfo } from './onnx/onnx-model.js';

/** How to export. Defaults: the graph's own batch mode, float32, standard ops only. */
export interface ExportOnnxOptions {
  /** Symbolic batch dimension ('batch') on inputs and outputs; requires a batch-polymorphic graph. */
  readonly dynamicBatch?: boolean;
  /**
   * Storage and compute dtype of weights and activations; inputs and outputs stay float32 either
   * way. 'int8': every linear layer's weight in int8 (per output channel, symmetric), its input
   * quantized at run time; everything else float32.
   */
  readonly dtype?: OnnxExportDtype;
  /** Allows onnxruntime contrib ops (com.microsoft domain), which other ONNX runtimes may not have. */
  readonly allowContribOps?: boolean;
  /**
   * Symbolic height and width too ('height', 'width'): one file for every input size, with padding,
   * shift masks and position bias computed in the graph from the run's size (float32 only; see
   * README "Any input size"). The graph must come from @swin/core's model builders, at any size.
   */
  readonly dynamicSize?: boolean;
  /** Graph name recorded in the file. */
  readonly graphName?: string;
}

/** What `dtype` an export can have. */
export type OnnxExportDtype = 'float32' | 'float16' | 'int8';

/** The default-domain opset we emit: LayerNormalization arrived in 17, and 17 is widely deployed. */
export const ONNX_OPSET = 17;
/** IR version matching opset 17 (ONNX 1.12). */
export const ONNX_IR_VERSION = 8;
/** Name of the symbolic batch dimension in exported files. */
export const BATCH_DIM = 'batch';

/** Ops the exporter emits natively: every primitive and every composite. */
export const ONNX_NATIVE_OPS: ReadonlySet<OpName> = new Set(ALL_OPS);

/** Translates a core graph into an ONNX model structure (see exportOnnx for the bytes). */
export function buildOnnxModel(source: Graph, options: ExportOnnxOptions = {}): OnnxModel {
  const dynamicBatch = options.dynamicBatch ?? source.dynamicBatch;
  if (dynamicBatch && !source.dynamicBatch) {
    throw new SwinError('INVALID_ARGUMENT', 'onnx export: a dynamic batch was requested, but the graph is built for a fixed batch (graph.dynamicBatch is false): rebuild it batch-polymorphic or export with a fixed batch');
  }
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float16' && dtype !== 'int8') {
    throw new SwinError('INVALID_ARGUMENT', `onnx export: dtype must be float32, float16 or int8, found ${String(dtype)}`);
  }
  if (options.dynamicSize) {
    if (dtype !== 'float32') throw new SwinError('INVALID_ARGUMENT', `onnx export: a dynamic input size is exported in float32 only, found dtype ${dtype}`);
    const { graphName } = options;
    return buildDynamicSizeOnnxModel(source, { dynamicBatch, allowContribOps: options.allowContribOps ?? false, batchDim: BATCH_DIM, opset: ONNX_OPSET, irVersion: ONNX_IR_VERSION, ...(graphName ? { graphName } : {}) });
  }
  const computeDtype = dtype === 'float16' ? 'float16' : 'float32';
  // Fold what depends only on weights and input size (bias tables, masks) once, here.
  const graph = prepareGraph(source, ONNX_NATIVE_OPS);
  const em = new OnnxGraphEmitter(graph, { computeDtype, int8Weights: dtype === 'int8', dynamicBatch, allowContribOps: options.allowContribOps ?? false });
  const dims = (shape: readonly number[]): OnnxDim[] => shape.map((d, i) => (i === 0 && dynamicBatch ? BATCH_DIM : d));

  const inputs: OnnxValueInfo[] = [];
  for (const info of graph.inputs) {
    inputs.push({ name: info.name, dataType: onnxDataType(info.dtype), shape: dims(info.shape) });
    em.declare({ name: info.name, dtype: info.dtype, shape: info.shape });
    const stored = em.storageDtype(info.dtype);
    if (stored !== info.dtype) {
      em.scope = info.name;
      em.alias(info.name, em.node('Cast', [em.value(info.name)], { dtype: stored, shape: info.shape, name: em.fresh(stored) }, [attr.int('to', onnxDataType(stored))]));
    }
  }

  // An output that folded to a constant keeps the constant under another name (readers use that)
  // and gets a producing node under its own name.
  const outputNames = new Set(graph.outputs.map((o) => o.name));
  em.scope = '';
  for (const o of graph.outputs) {
    const constant = graph.constants.get(o.name);
    if (!constant) continue;
    const value = em.initializer(`${o.name}/value`, constant);
    em.alias(o.name, value);
    const target = { dtype: o.dtype, shape: o.shape, name: o.name };
    if (value.dtype === o.dtype) em.node('Identity', [value], target);
    else em.node('Cast', [value], target, [attr.int('to', onnxDataType(o.dtype))]);
  }

  for (const node of graph.nodes) {
    em.scope = node.name;
    const info = graph.values.get(node.output)!;
    const stored = em.storageDtype(info.dtype);
    // A float16 graph output is computed under a scratch name and cast back to float32 under its own.
    const castBack = outputNames.has(node.output) && stored !== info.dtype;
    const name = castBack ? em.fresh(stored) : node.output;
    emitNode(em, node, { name, dtype: stored, shape: info.shape });
    if (castBack) {
      const computed = em.typeOf(name)!;
      em.node('Cast', [computed], { dtype: info.dtype, shape: info.shape, name: node.output }, [attr.int('to', onnxDataType(info.dtype))]);
      em.alias(node.output, computed);
    }
  }

  const nodes = simplifyOnnxGraph(em.nodes, outputNames, (n) => em.typeOf(n)?.shape);
  const usesContrib = nodes.some((n) => n.domain === 'com.microsoft');
  const outputs: OnnxValueInfo[] = graph.outputs.map((o) => ({ name: o.name, dataType: onnxDataType(o.dtype), shape: dims(o.shape) }));
  return {
    irVersion: ONNX_IR_VERSION,
    opsetImports: [{ domain: '', version: ONNX_OPSET }, ...(usesContrib ? [{ domain: 'com.microsoft', version: 1 }] : [])],
    producerName: '@swin/backend-onnx',
    producerVersion: '0.1.0',
    graph: { name: options.graphName ?? graph.metadata['family'] ?? 'swin', nodes, initializers: em.initializersReadBy(nodes), inputs, outputs },
    metadata: { ...graph.metadata, 'swin.dtype': dtype, 'swin.dynamicBatch': String(dynamicBatch) },
  };
}

/** Exports a core graph as standard ONNX bytes (opset 17; browser-safe: no fs). */
export function exportOnnx(graph: Graph, options: ExportOnnxOptions = {}): Uint8Array {
  return encodeOnnxModel(buildOnnxModel(graph, options));
}

