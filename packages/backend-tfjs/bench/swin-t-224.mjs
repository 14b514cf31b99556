#!/usr/bin/env node
// Swin-T 224 on tfjs-wasm and tfjs cpu: median wall time per run at batch 1 and 8, next to
// tfjs-wasm's own matmul rate measured in the same process, plus a per-op profile of where the
// time goes. Not a test: numbers depend on the machine. Run after `pnpm build`:
//   node bench/swin-t-224.mjs [--backends wasm,cpu] [--batches 1,8] [--runs 5] [--cpu-runs 3] [--cpu-warmup 1] [--json out.json]
import * as tf from '@tensorflow/tfjs-core';
import { SWIN_V1_DEFAULTS, SeededRandom, buildSwinV1Graph, countMacs, randomSwinV1Weights, tensor } from '@swin/core';
import { createTfjsNodeBackend } from '../dist/node/index.js';
import { writeFileSync } from 'node:fs';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const backends = arg('--backends', 'wasm,cpu').split(',');
const batches = arg('--batches', '1,8').split(',').map(Number);
const runs = Number(arg('--runs', '5'));
const cpuRuns = Number(arg('--cpu-runs', '3'));
const jsonOut = arg('--json', undefined);
// tfjs-cpu has no per-operator setup to warm up, and a batch-8 run takes minutes.
const cpuWarmup = Number(arg('--cpu-warmup', '1'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** GFLOP/s of tfjs-wasm's matmul on a [m,k] @ [k,n] product (the XNNPACK path: rank 2, no transpose). */
async function matmulRate(m, k, n, reps) {
  await tf.setBackend('wasm');
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  for (let i = 0; i < 2; i++) tf.matMul(a, b).dispose();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    times.push(performance.now() - t0);
    c.dispose();
  }
  a.dispose();
  b.dispose();
  return (2 * m * k * n) / (median(times) * 1e6);
}

const config = SWIN_V1_DEFAULTS;
const weights = randomSwinV1Weights(config, 224);
const results = { machine: `${process.platform} ${process.arch}, node ${process.versions.node}`, date: new Date().toISOString(), models: [], matmul: {} };

// The reference rate first, so the model figures sit beside a rate from the same process and moment.
await createTfjsNodeBackend('wasm').then((b) => b.dispose());
results.matmul.square1024 = await matmulRate(1024, 1024, 1024, 7);
results.matmul.swinFc1Stage0 = await matmulRate(3136, 96, 384, 9);
results.matmul.swinFc1Stage2 = await matmulRate(196, 384, 1536, 9);
console.log(`tfjs-wasm matmul: 1024^3 ${results.matmul.square1024.toFixed(2)} GFLOP/s; Swin fc1 [3136x96]@[96x384] ${results.matmul.swinFc1Stage0.toFixed(2)}; [196x384]@[384x1536] ${results.matmul.swinFc1Stage2.toFixed(2)}`);

for (const kind of backends) {
  for (const batch of batches) {
    const profile = new Map();
    let profiling = false;
    const backend = await createTfjsNodeBackend(kind, {
      onKernel: (op, ms) => {
        if (!profiling) return;
        const p = profile.get(op) ?? { ms: 0, calls: 0 };
        p.ms += ms;
        p.calls += 1;
        profile.set(op, p);
      },
    });
    const { graph } = buildSwinV1Graph(config, weights, { batch, outputs: ['logits'] });
    const gflop = (2 * countMacs(graph)) / 1e9;
    const exe = await backend.compile(graph);
    const input = tensor('float32', [batch, 3, 224, 224], new SeededRandom(batch).normalArray(batch * 3 * 224 * 224));
    // Warm-up: first-run weight transposes and XNNPACK operator creation are not steady state.
    if (kind !== 'cpu' || cpuWarmup > 0) await exe.run({ input });
    const n = kind === 'cpu' ? cpuRuns : runs;
    const times = [];
    const rates = [];
    for (let i = 0; i < n; i++) {
      // The machine is shared and its load drifts: measure the matmul rate right before each run,
      // so every run's time is compared with the rate available at that moment.
      if (kind === 'wasm') {
        rates.push(await matmulRate(1024, 1024, 1024, 3));
        await tf.setBackend(kind);
      }
      profiling = i === 0;
      const t0 = performance.now();
      await exe.run({ input });
      times.push(performance.now() - t0);
    }
    exe.dispose();
    await backend.dispose();
    const ms = median(times);
    const row = {
      backend: kind === 'cpu' ? 'tfjs (cpu)' : 'tfjs-wasm',
      batch,
      gflop,
      runs: n,
      medianMs: ms,
      minMs: Math.min(...times),
      gflops: gflop / (ms / 1000),
      // Per run: model time / (GFLOP / matmul rate measured just before it); median over runs.
      ratioToInterleavedMatmul: rates.length ? median(times.map((t, i) => t / ((gflop / rates[i]) * 1000))) : undefined,
      interleavedMatmulGflops: rates.length ? median(rates) : undefined,
      profile: [...profile].map(([op, p]) => ({ op, ms: p.ms, calls: p.calls })).sort((a, b) => b.ms - a.ms),
    };
    results.models.push(row);
    const total = row.profile.reduce((s, p) => s + p.ms, 0);
    console.log(`\n${row.backend} batch ${batch}: median ${ms.toFixed(0)} ms over ${n} runs (min ${row.minMs.toFixed(0)}), ${gflop.toFixed(2)} GFLOP -> ${row.gflops.toFixed(2)} GFLOP/s`);
    for (const p of row.profile.slice(0, 12)) console.log(`  ${p.op.padEnd(16)} ${p.ms.toFixed(1).padStart(9)} ms  ${((100 * p.ms) / total).toFixed(1).padStart(5)}%  (${p.calls} calls)`);
  }
}
const wasmRate = results.matmul.square1024;
for (const r of results.models) {
  const bound = (r.gflop / wasmRate) * 1000;
  r.matmulBoundMs = bound;
  r.ratioToMatmulBound = r.medianMs / bound;
}
console.log('\nbackend     batch  median ms   GFLOP/s  matmul-bound ms  ratio  interleaved matmul GFLOP/s, ratio');
for (const r of results.models) {
  const inter = r.ratioToInterleavedMatmul === undefined ? '' : `${r.interleavedMatmulGflops.toFixed(2).padStart(10)} ${r.ratioToInterleavedMatmul.toFixed(2).padStart(6)}`;
  console.log(`${r.backend.padEnd(11)} ${String(r.batch).padStart(5)} ${r.medianMs.toFixed(0).padStart(10)} ${r.gflops.toFixed(2).padStart(9)} ${r.matmulBoundMs.toFixed(0).padStart(16)} ${r.ratioToMatmulBound.toFixed(2).padStart(6)}  ${inter}`);
}
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(results, null, 1)}\n`);
