import { describe, expect, it } from 'vitest';
import { FormatError } from '@swin/core';
import { ONNX_DTYPE, decodeOnnxModel, encodeOnnxModel, type OnnxModel } from '../src/index.js';
import { readProtoFields } from '../src/protobuf/proto-reader.js';
import { ProtoWriter } from '../src/protobuf/proto-writer.js';

const weights = new Float32Array(1000).map((_, i) => i / 7);

const model: OnnxModel = {
  irVersion: 8,
  opsetImports: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }],
  producerName: 'test',
  producerVersion: '1',
  metadata: { config: '{"a":1}', 'ünïcode': 'ok' },
  graph: {
    name: 'g',
    inputs: [{ name: 'x', dataType: ONNX_DTYPE.FLOAT, shape: ['batch', 3, 4] }],
    outputs: [{ name: 'y', dataType: ONNX_DTYPE.FLOAT, shape: ['batch', 12] }],
    initializers: [
      { name: 'w', dataType: ONNX_DTYPE.FLOAT, dims: [1000], rawData: new Uint8Array(weights.buffer) },
      { name: 'shape', dataType: ONNX_DTYPE.INT64, dims: [2], rawData: new Uint8Array(BigInt64Array.of(-1n, 12n).buffer) },
    ],
    nodes: [
      {
        opType: 'Reshape',
        domain: '',
        name: 'r',
        inputs: ['x', 'shape'],
        outputs: ['y'],
        attributes: [
          { name: 'i', kind: 'int', value: -5 },
          { name: 'f', kind: 'float', value: 0.25 },
          { name: 's', kind: 'string', value: 'constant' },
          { name: 'ints', kind: 'ints', value: [0, -1, 2 ** 40] },
          { name: 'floats', kind: 'floats', value: [1.5, -2] },
          { name: 't', kind: 'tensor', value: { name: '', dataType: ONNX_DTYPE.INT32, dims: [], rawData: new Uint8Array(Int32Array.of(9).buffer) } },
        ],
      },
      { opType: 'Gelu', domain: 'com.microsoft', name: 'g', inputs: ['y', ''], outputs: ['z'], attributes: [] },
    ],
  },
};

describe('ONNX protobuf encoding', () => {
  it('round-trips every field the exporter writes', () => {
    const back = decodeOnnxModel(encodeOnnxModel(model));
    expect(back.irVersion).toBe(8);
    expect(back.opsetImports).toEqual(model.opsetImports);
    expect(back.metadata).toEqual(model.metadata);
    expect(back.graph.inputs).toEqual(model.graph.inputs);
    expect(back.graph.outputs).toEqual(model.graph.outputs);
    expect(back.graph.nodes).toEqual(model.graph.nodes);
    expect(back.graph.initializers.map((t) => [t.name, t.dataType, t.dims])).toEqual(model.graph.initializers.map((t) => [t.name, t.dataType, t.dims]));
    const w = back.graph.initializers[0]!.rawData;
    expect(new Float32Array(w.slice().buffer)).toEqual(weights);
  });

  it('writes external-data references instead of raw bytes when asked', () => {
    const bytes = encodeOnnxModel(model, (t) => (t.name === 'w' ? { location: 'w.bin', offset: 0, length: t.rawData.byteLength } : undefined));
    expect(bytes.byteLength).toBeLessThan(1000);
    const back = decodeOnnxModel(bytes);
    expect(back.graph.initializers[0]!.rawData.byteLength).toBe(0);
    expect(back.graph.initializers[1]!.rawData.byteLength).toBe(16);
  });

  it('encodes varints the way protobuf does, negatives as 10 bytes', () => {
    const bytes = new ProtoWriter().varint(1, 300).varint(2, -1).varint(3, 2n ** 63n - 1n).finish();
    expect([...bytes.subarray(0, 3)]).toEqual([0x08, 0xac, 0x02]);
    const fields = [...readProtoFields(bytes)];
    expect(fields.map((f) => (f.wire === 0 ? BigInt.asIntN(64, f.value) : null))).toEqual([300n, -1n, 2n ** 63n - 1n]);
    expect(bytes.byteLength).toBe(3 + 11 + 10);
  });

  it('refuses bytes that are not an ONNX model, naming the offset', () => {
    expect(() => decodeOnnxModel(new Uint8Array([0x0a, 0x05, 0x01]))).toThrow(FormatError);
    expect(() => decodeOnnxModel(new Uint8Array([0x08, 0x01]))).toThrow(/expected a ModelProto with a graph/);
  });
});
