// Times the reference executor on Swin-T 224 (seeded random weights), per op kind.
// Run after building: node packages/core/bench/reference-swin-t.mjs [runs]
import { REFERENCE_KERNELS, SWIN_V1_DEFAULTS, SeededRandom, buildSwinV1Graph, createReferenceBackend, randomSwinV1Weights, tensor } from '../dist/index.js';

const runs = Number(process.argv[2] ?? 1);
const model = buildSwinV1Graph(SWIN_V1_DEFAULTS, randomSwinV1Weights(SWIN_V1_DEFAULTS, 1));
const perOp = {};
for (const [op, kernel] of Object.entries(REFERENCE_KERNELS)) {
  REFERENCE_KERNELS[op] = (...args) => {
    const t = performance.now();
    const r = kernel(...args);
    perOp[op] = (perOp[op] ?? 0) + performance.now() - t;
    return r;
  };
}
const exe = await createReferenceBackend().compile(model.graph);
const input = tensor('float32', [1, 3, 224, 224], new SeededRandom(1).normalArray(3 * 224 * 224));
const times = [];
for (let i = 0; i < runs; i++) {
  for (const k of Object.keys(perOp)) perOp[k] = 0;
  const t = performance.now();
  await exe.run({ input });
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(`Swin-T 224 batch 1 on the reference executor: median ${(times[Math.floor(times.length / 2)] / 1000).toFixed(1)} s over ${runs} run(s)`);
for (const [op, ms] of Object.entries(perOp).sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`  ${op.padEnd(12)} ${(ms / 1000).toFixed(2)} s (last run)`);
