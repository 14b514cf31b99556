import { FormatError } from '@swin/core';
import { readPackedVarints, readProtoFields, readUtf8, type ProtoField } from '../protobuf/proto-reader.js';
import type { OnnxAttribute, OnnxDataType, OnnxDim, OnnxGraph, OnnxModel, OnnxNode, OnnxOpsetImport, OnnxTensor, OnnxValueInfo } from './onnx-model.js';

// Reads back the subset written by encode-onnx-model.ts, plus what other exporters commonly use
// (typed data fields, graph attributes skipped), so tests and benchmarks can inspect any .onnx file.

function bytesOf(f: ProtoField): Uint8Array {
  if (f.wire !== 2) throw new FormatError(`onnx: field ${f.field} should be length-delimited, found wire type ${f.wire}`);
  return f.value;
}

function intOf(f: ProtoField): number {
  if (f.wire !== 0) throw new FormatError(`onnx: field ${f.field} should be a varint, found wire type ${f.wire}`);
  return Number(BigInt.asIntN(64, f.value));
}

function intsOf(f: ProtoField): number[] {
  return f.wire === 2 ? readPackedVarints(f.value).map((v) => Number(BigInt.asIntN(64, v))) : [intOf(f)];
}

function decodeTensor(bytes: Uint8Array): OnnxTensor {
  let name = '';
  let dataType = 0;
  const dims: number[] = [];
  let rawData: Uint8Array = new Uint8Array(0);
  const floats: number[] = [];
  const ints: number[] = [];
  for (const f of readProtoFields(bytes)) {
    if (f.field === 1) dims.push(...intsOf(f));
    else if (f.field === 2) dataType = intOf(f);
    else if (f.field === 8) name = readUtf8(bytesOf(f));
    else if (f.field === 9) rawData = bytesOf(f);
    else if (f.field === 4) {
      if (f.wire === 5) floats.push(f.value.getFloat32(0, true));
      else {
        const b = bytesOf(f);
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        for (let i = 0; i < b.byteLength; i += 4) floats.push(dv.getFloat32(i, true));
      }
    } else if (f.field === 5 || f.field === 7) ints.push(...intsOf(f));
  }
  // Typed fields (float_data, int32_data, int64_data) become raw little-endian bytes.
  if (rawData.byteLength === 0 && floats.length) rawData = new Uint8Array(Float32Array.from(floats).buffer);
  if (rawData.byteLength === 0 && ints.length) {
    rawData = dataType === 7 ? new Uint8Array(BigInt64Array.from(ints.map(BigInt)).buffer) : new Uint8Array(Int32Array.from(ints).buffer);
  }
  return { name, dataType: dataType as OnnxDataType, dims, rawData };
}

function decodeAttribute(bytes: Uint8Array): OnnxAttribute | undefined {
  let name = '';
  let type = 0;
  let f32 = 0;
  let i64 = 0;
  let s = '';
  let t: OnnxTensor | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  for (const f of readProtoFields(bytes)) {
    if (f.field === 1) name = readUtf8(bytesOf(f));
    else if (f.field === 20) type = intOf(f);
    else if (f.field === 2 && f.wire === 5) f32 = f.value.getFloat32(0, true);
    else if (f.field === 3) i64 = intOf(f);
    else if (f.field === 4) s = readUtf8(bytesOf(f));
    else if (f.field === 5) t = decodeTensor(bytesOf(f));
    else if (f.field === 7) {
      if (f.wire === 5) floats.push(f.value.getFloat32(0, true));
      else {
        const b = bytesOf(f);
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        for (let i = 0; i < b.byteLength; i += 4) floats.push(dv.getFloat32(i, true));
      }
    } else if (f.field === 8) ints.push(...intsOf(f));
  }
  switch (type) {
    case 1:
      return { name, kind: 'float', value: f32 };
    case 2:
      return { name, kind: 'int', value: i64 };
    case 3:
      return { name, kind: 'string', value: s };
    case 4:
      return t ? { name, kind: 'tensor', value: t } : undefined;
    case 6:
      return { name, kind: 'floats', value: floats };
    case 7:
      return { name, kind: 'ints', value: ints };
    default:
      return undefined; // graphs, sparse tensors...: not needed to inspect Swin models
  }
}

function decodeNode(bytes: Uint8Array): OnnxNode {
  const inputs: string[] = [];
  const outputs: string[] = [];
  const attributes: OnnxAttribute[] = [];
  let name = '';
  let opType = '';
  let domain = '';
  for (const f of readProtoFields(bytes)) {
    if (f.field === 1) inputs.push(readUtf8(bytesOf(f)));
    else if (f.field === 2) outputs.push(readUtf8(bytesOf(f)));
    else if (f.field === 3) name = readUtf8(bytesOf(f));
    else if (f.field === 4) opType = readUtf8(bytesOf(f));
    else if (f.field === 7) domain = readUtf8(bytesOf(f));
    else if (f.field === 5) {
      const a = decodeAttribute(bytesOf(f));
      if (a) attributes.push(a);
    }
  }
  return { opType, domain, name, inputs, outputs, attributes };
}

function decodeValueInfo(bytes: Uint8Array): OnnxValueInfo {
  let name = '';
  let dataType = 0;
  const shape: OnnxDim[] = [];
  for (const f of readProtoFields(bytes)) {
    if (f.field === 1) name = readUtf8(bytesOf(f));
    else if (f.field === 2) {
      for (const tf of readProtoFields(bytesOf(f))) {
        if (tf.field !== 1) continue; // tensor_type
        for (const tt of readProtoFields(bytesOf(tf))) {
          if (tt.field === 1) dataType = intOf(tt);
          else if (tt.field === 2) {
            for (const sd of readProtoFields(bytesOf(tt))) {
              let dim: OnnxDim = '?';
              for (const d of readProtoFields(bytesOf(sd))) {
                if (d.field === 1) dim = intOf(d);
                else if (d.field === 2) dim = readUtf8(bytesOf(d));
              }
              shape.push(dim);
            }
          }
        }
      }
    }
  }
  return { name, dataType: dataType as OnnxDataType, shape };
}

function decodeGraph(bytes: Uint8Array): OnnxGraph {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  const valueInfo: OnnxValueInfo[] = [];
  let name = '';
  for (const f of readProtoFields(bytes)) {
    if (f.field === 1) nodes.push(decodeNode(bytesOf(f)));
    else if (f.field === 2) name = readUtf8(bytesOf(f));
    else if (f.field === 5) initializers.push(decodeTensor(bytesOf(f)));
    else if (f.field === 11) inputs.push(decodeValueInfo(bytesOf(f)));
    else if (f.field === 12) outputs.push(decodeValueInfo(bytesOf(f)));
    else if (f.field === 13) valueInfo.push(decodeValueInfo(bytesOf(f)));
  }
  return { name, nodes, initializers, inputs, outputs, valueInfo };
}

/** Parses ONNX model bytes into the subset above; tensor data stays a view into `bytes`. */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  let irVersion = 0;
  let producerName = '';
  let producerVersion = '';
  let graph: OnnxGraph | undefined;
  const opsetImports: OnnxOpsetImport[] = [];
  const metadata: Record<string, string> = {};
  for (const f of readProtoFields(bytes)) {
    if (f.field === 1) irVersion = intOf(f);
    else if (f.field === 2) producerName = readUtf8(bytesOf(f));
    else if (f.field === 3) producerVersion = readUtf8(bytesOf(f));
    else if (f.field === 7) graph = decodeGraph(bytesOf(f));
    else if (f.field === 8) {
      let domain = '';
      let version = 0;
      for (const o of readProtoFields(bytesOf(f))) {
        if (o.field === 1) domain = readUtf8(bytesOf(o));
        else if (o.field === 2) version = intOf(o);
      }
      opsetImports.push({ domain, version });
    } else if (f.field === 14) {
      let key = '';
      let value = '';
      for (const e of readProtoFields(bytesOf(f))) {
        if (e.field === 1) key = readUtf8(bytesOf(e));
        else if (e.field === 2) value = readUtf8(bytesOf(e));
      }
      metadata[key] = value;
    }
  }
  if (!graph) throw new FormatError('not an ONNX model: expected a ModelProto with a graph (field 7), found none', 0);
  return { irVersion, opsetImports, producerName, producerVersion, graph, metadata };
}
