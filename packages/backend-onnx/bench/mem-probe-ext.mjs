import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { SWIN_V1_DEFAULTS, buildSwinGraph, randomSwinWeights, SeededRandom } from '@swin/core';
import { buildOnnxModel, encodeOnnxModel } from '@swin/backend-onnx';
const status = () => Object.fromEntries(readFileSync('/proc/self/status', 'utf8').split('\n').filter((l) => /^Vm(RSS|HWM)/.test(l)).map((l) => [l.split(':')[0], Math.round(Number(l.split(/\s+/)[1]) / 1024)]));
const variant = process.argv[2] ?? 't';
const cfg = variant === 'b' ? { ...SWIN_V1_DEFAULTS, embed_dim: 128, depths: [2, 2, 18, 2], num_heads: [4, 8, 16, 32] } : SWIN_V1_DEFAULTS;
const w = randomSwinWeights(cfg, 1);
const g = buildSwinGraph(cfg, w).graph;
global.gc?.();
console.log('start', status());
const m = buildOnnxModel(g); global.gc?.();
const files = [];
const model = encodeOnnxModel(m, (t) => {
  if (t.rawData.byteLength < 1024) return undefined;
  const location = `w${files.length}.bin`;
  files.push({ path: location, data: t.rawData });
  return { location, offset: 0, length: t.rawData.byteLength };
});
console.log('model bytes', model.byteLength, 'files', files.length, status());
const opts = { executionMode: 'sequential', graphOptimizationLevel: 'all', intraOpNumThreads: 2, executionProviders: ['cpu'], externalData: files, ...JSON.parse(process.env.OPTS ?? '{}') };
const s = await ort.InferenceSession.create(model, opts);
console.log('after session', status());
const x = new ort.Tensor('float32', new SeededRandom(1).normalArray(3 * 224 * 224), [1, 3, 224, 224]);
const a = (await s.run({ input: x })).logits.data.slice(0, 4);
console.log('after run', status(), a);
if (process.env.CLOBBER) { for (const f of files) f.data.fill(0x7f); const b = (await s.run({ input: x })).logits.data.slice(0, 4); console.log('after clobber', b); }
