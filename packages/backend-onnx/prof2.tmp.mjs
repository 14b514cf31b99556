import ort from 'onnxruntime-node';
import { SeededRandom } from '@swin/core';
const paths = process.argv.slice(2);
const B = Number(process.env.B ?? 1);
const ss = [];
for (const [i, p] of paths.entries()) ss.push(await ort.InferenceSession.create(p, { intraOpNumThreads: 1, graphOptimizationLevel: 'all', enableProfiling: true, profileFilePrefix: `/tmp/onnxbench/p2_${i}` }));
const x = new ort.Tensor('float32', new SeededRandom(1).normalArray(B * 3 * 224 * 224), [B, 3, 224, 224]);
for (let i = 0; i < 8; i++) for (const s of ss) await s.run({ input: x });
for (const s of ss) console.log(s.endProfiling());
