// Writes our Swin-T (seeded random weights, dynamic batch) as .onnx, for compare-models.mjs.
//   node bench/export-swin-t.mjs OUT.onnx [SIZE]
import { writeFileSync } from 'node:fs';
import { SWIN_V1_DEFAULTS, buildSwinV1Graph, randomSwinV1Weights } from '@swin/core';
import { buildOnnxModel, encodeOnnxModel } from '@swin/backend-onnx';

const [out, size = '224'] = process.argv.slice(2);
if (!out) throw new Error('usage: node bench/export-swin-t.mjs OUT.onnx [SIZE]');
const graph = buildSwinV1Graph(SWIN_V1_DEFAULTS, randomSwinV1Weights(SWIN_V1_DEFAULTS, 1), { inputSize: [Number(size), Number(size)] }).graph;
const model = buildOnnxModel(graph);
writeFileSync(out, encodeOnnxModel(model));
console.log(`${out}: ${model.graph.nodes.length} nodes`);
