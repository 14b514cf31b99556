import { writeFileSync } from 'node:fs';
import { SWIN_V1_DEFAULTS, buildSwinGraph, randomSwinWeights } from '@swin/core';
import { exportOnnx, buildOnnxModel } from '@swin/backend-onnx';
const [out, size = '224'] = process.argv.slice(2);
const g = buildSwinGraph(SWIN_V1_DEFAULTS, randomSwinWeights(SWIN_V1_DEFAULTS, 1), { inputSize: [Number(size), Number(size)] }).graph;
const extra = JSON.parse(process.env.EXTRA ?? '{}');
console.log(out, 'nodes', buildOnnxModel(g, extra).graph.nodes.length);
writeFileSync(out, exportOnnx(g, extra));
