import ort from 'onnxruntime-node';
import { SeededRandom } from '@swin/core';
const path = process.argv[2]; const batch = Number(process.argv[3] ?? 1);
const opts = { executionMode: 'sequential', graphOptimizationLevel: 'all', intraOpNumThreads: Number(process.env.THREADS ?? 2), interOpNumThreads: 1, executionProviders: ['cpu'], enableProfiling: true, profileFilePrefix: '/tmp/onnxbench/ortprof_t', ...(process.env.OPT ? { optimizedModelFilePath: process.env.OPT } : {}) };
const s = await ort.InferenceSession.create(path, opts);
const x = new ort.Tensor('float32', new SeededRandom(1).normalArray(batch*3*224*224), [batch,3,224,224]);
for (let i = 0; i < 7; i++) await s.run({ input: x });
s.endProfiling(); await s.release();
