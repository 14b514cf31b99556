// What the size-generic file costs (benchmark, not a test): Swin-T with seeded weights exported at
// a fixed 224x224 and with --size dynamic, both sessions created in this process and timed
// interleaved at 224x224 (batch 1, then batch 8), each run after a SETTLE_MS pause (settle.mjs), with
// the logits compared. Prints `uptime` before and after; the run is "not settled" when the load
// average was above 1.5 before it or other processes kept more than 0.25 cores busy during the timed
// runs (benchQuiet of @swin/core/node: the run's own threads raise the load it ends with).
//
//   corepack pnpm --filter @swin/backend-onnx... build
//   node packages/backend-onnx/bench/bench-dynamic-size.mjs [--iters 20] [--threads 2]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import ort from 'onnxruntime-node';
import { SWIN_V1_DEFAULTS, SeededRandom, buildModelGraph, randomModelWeights } from '@swin/core';
import { benchQuiet, cpuSnapshot } from '@swin/core/node';
import { decodeOnnxModel, exportOnnx, onnxSessionOptions } from '@swin/backend-onnx';
import { SETTLE_MS, settle } from './settle.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const iters = Number(option('iters', '20'));
const threads = Number(option('threads', '2'));
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const before = { uptime: uptime(), load: loadavg() };
console.log(`before: ${before.uptime}`);

const graph = buildModelGraph(SWIN_V1_DEFAULTS, randomModelWeights(SWIN_V1_DEFAULTS, 1), { inputSize: [224, 224] }).graph;
const files = { fixed: exportOnnx(graph), dynamic: exportOnnx(graph, { dynamicSize: true }) };
const options = onnxSessionOptions({ threads, executionProviders: ['cpu'] });
const sessions = {};
for (const [name, bytes] of Object.entries(files)) {
  const t = performance.now();
  sessions[name] = await ort.InferenceSession.create(bytes, options);
  const nodes = decodeOnnxModel(bytes).graph.nodes.length;
  console.log(`${name}: ${(bytes.length / 1e6).toFixed(1)} MB, ${nodes} nodes, session created in ${(performance.now() - t).toFixed(0)} ms`);
}

const rows = [];
const startCpu = cpuSnapshot();
for (const batch of [1, 8]) {
  const x = new ort.Tensor('float32', new SeededRandom(batch).normalArray(batch * 3 * 224 * 224), [batch, 3, 224, 224]);
  const times = { fixed: [], dynamic: [] };
  const logits = {};
  const n = batch === 1 ? iters : Math.max(3, Math.round(iters / 4));
  for (let i = 0; i < n + 2; i++) {
    for (const name of i % 2 ? ['dynamic', 'fixed'] : ['fixed', 'dynamic']) {
      await settle();
      const t = performance.now();
      const out = await sessions[name].run({ input: x });
      if (i >= 2) times[name].push(performance.now() - t);
      logits[name] = out.logits.data;
    }
  }
  let maxDiff = 0;
  for (let i = 0; i < logits.fixed.length; i++) maxDiff = Math.max(maxDiff, Math.abs(logits.fixed[i] - logits.dynamic[i]));
  const row = { batch, fixed: median(times.fixed), dynamic: median(times.dynamic), ratio: median(times.dynamic) / median(times.fixed), logitsMaxAbsDiff: maxDiff, runs: n };
  rows.push(row);
  console.log(`batch ${batch}: fixed ${row.fixed.toFixed(1)} ms, dynamic ${row.dynamic.toFixed(1)} ms (median of ${n}), dynamic/fixed ${row.ratio.toFixed(3)}, logits max |diff| ${maxDiff.toExponential(1)}`);
}

const endCpu = cpuSnapshot();
const after = { uptime: uptime(), load: loadavg() };
console.log(`after: ${after.uptime}`);
const quiet = benchQuiet(before.load[0], after.load[0], startCpu, endCpu);
console.log(quiet.settled ? `settled (${quiet.reason})` : `NOT SETTLED: ${quiet.reason}; re-run on a quiet machine`);
console.log(JSON.stringify({ threads, settleMs: SETTLE_MS, rows, before: before.uptime, after: after.uptime, othersCores: quiet.othersCores ?? null, settled: quiet.settled }));
for (const s of Object.values(sessions)) await s.release();
