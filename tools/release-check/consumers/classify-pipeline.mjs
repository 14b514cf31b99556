// Scenario 1: an application on @swin/pipeline (installed with @swin/backend-onnx, onnxruntime-node
// and sharp from the registry) classifies pictures; prints JSON [{ file, index, label, probability }].
import { basename } from 'node:path';
import { loadModel } from '@swin/pipeline';

const [weights, ...images] = process.argv.slice(2);
const model = await loadModel(weights, { backend: 'auto' });
const results = await model.classify(images, { topk: 1 });
console.log(JSON.stringify(images.map((file, i) => ({ file: basename(file), index: results[i][0].index, label: results[i][0].label, probability: results[i][0].score, backend: model.info.backend }))));
await model.dispose();
