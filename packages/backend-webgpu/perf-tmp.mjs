import { createNodeWebGpuBackend } from './dist/node/index.js';
import { SWIN_V1_DEFAULTS, buildSwinGraph, randomSwinWeights, tensor, SeededRandom } from '@swin/core';
const config = { ...SWIN_V1_DEFAULTS };
const t0 = performance.now();
const model = buildSwinGraph(config, randomSwinWeights(config, 1));
const backend = await createNodeWebGpuBackend({ tiling: process.env.TILING || 'auto' });
console.log('tiling', backend.tiling);
const exe = await backend.compile(model.graph);
console.log('compile ms', (performance.now() - t0).toFixed(0), 'steps', exe.program.steps.length, 'pipelines', backend.pipelineCount);
const input = tensor('float32', [1, 3, 224, 224], new SeededRandom(1).normalArray(3 * 224 * 224));
for (let i = 0; i < 2; i++) { const t = performance.now(); await exe.run({ input }); console.log('run ms', (performance.now() - t).toFixed(0)); }
const prof = await exe.profile({ input });
const by = new Map(); for (const s of prof.steps) by.set(s.label, (by.get(s.label) ?? 0) + s.milliseconds);
console.log(prof.method, [...by].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v.toFixed(1)}`).join(' '), 'total', prof.steps.reduce((a, s) => a + s.milliseconds, 0).toFixed(0));
await backend.dispose();
