// The subset of ONNX's protobuf schema (onnx.proto, IR version 8) that a Swin model needs, as plain
// TypeScript data. Field meanings follow onnx.proto; encode-onnx-model.ts gives the field numbers.

import type { DType } from '@swin/core';

/** TensorProto.DataType values we read or write. */
export const ONNX_DTYPE = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
} as const;

/** Element types the exporter writes: core's dtypes plus the 8-bit integers of quantized matrix products and the booleans of comparisons. */
export type OnnxElementType = DType | 'int8' | 'uint8' | 'bool';

export type OnnxDataType = (typeof ONNX_DTYPE)[keyof typeof ONNX_DTYPE];

/** A tensor (initializer or attribute value); `rawData` is little-endian element bytes. */
export interface OnnxTensor {
  readonly name: string;
  readonly dataType: OnnxDataType;
  readonly dims: readonly number[];
  readonly rawData: Uint8Array;
}

/** AttributeProto; exactly one value kind. */
export type OnnxAttribute =
  | { readonly name: string; readonly kind: 'float'; readonly value: number }
  | { readonly name: string; readonly kind: 'int'; readonly value: number }
  | { readonly name: string; readonly kind: 'string'; readonly value: string }
  | { readonly name: string; readonly kind: 'tensor'; readonly value: OnnxTensor }
  | { readonly name: string; readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly name: string; readonly kind: 'ints'; readonly value: readonly number[] };

export interface OnnxNode {
  readonly opType: string;
  /** '' for the default (ai.onnx) domain, 'com.microsoft' for onnxruntime contrib ops. */
  readonly domain: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly OnnxAttribute[];
}

/** One dimension: a fixed size or a symbolic name (e.g. 'batch'). */
export type OnnxDim = number | string;

/** A graph input or output: name, element type and shape. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly dataType: OnnxDataType;
  readonly shape: readonly OnnxDim[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  /** Shapes of intermediate values (hints for the runtime's shape inference). */
  readonly valueInfo?: readonly OnnxValueInfo[];
}

export interface OnnxOpsetImport {
  readonly domain: string;
  readonly version: number;
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly opsetImports: readonly OnnxOpsetImport[];
  readonly producerName: string;
  readonly producerVersion: string;
  readonly graph: OnnxGraph;
  readonly metadata: Readonly<Record<string, string>>;
}
