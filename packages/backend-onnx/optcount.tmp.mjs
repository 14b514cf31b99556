import ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { decodeOnnxModel } from '@swin/backend-onnx';
const [src, level] = process.argv.slice(2);
const out = `/tmp/onnxbench/opt-${level}.onnx`;
const s = await ort.InferenceSession.create(src, { graphOptimizationLevel: level, optimizedModelFilePath: out });
const m = decodeOnnxModel(new Uint8Array(readFileSync(out)));
const c = {}; for (const n of m.graph.nodes) c[`${n.domain}:${n.opType}`] = (c[`${n.domain}:${n.opType}`] ?? 0) + 1;
console.log(m.graph.nodes.length, c);
