// Benchmark of @swin/backend-onnx (not a test): Swin-T 224 fp32 on onnxruntime-node, our exported
// graph versus PyTorch's own ONNX export of torchvision's Swin-T, same session options, runs
// interleaved in one process; then our graph's latency at 448 and 896 (the linear-complexity
// claim), and peak RSS while creating a session for Swin-T and Swin-B (child processes).
//
//   corepack pnpm --filter @swin/core --filter @swin/backend-onnx build
//   /usr/bin/python3 tools/reference/export_torch_onnx.py --out /tmp/swin_t_torch.onnx
//   node packages/backend-onnx/bench/bench-onnx.mjs --torch /tmp/swin_t_torch.onnx [--iters 20] [--threads 2]
//        [--skip-compare] [--skip-scaling] [--skip-rss] [--out reports/bench-onnx]
//
// Writes <out>.json and <out>.md. Timing is wall clock per session.run (median of the interleaved
// iterations, after 2 warm-up runs each).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { SWIN_V1_DEFAULTS, SeededRandom, buildSwinV1Graph, countMacs, randomSwinV1Weights } from '@swin/core';
import { buildOnnxModel, decodeOnnxModel, encodeOnnxModel, onnxSessionOptions } from '@swin/backend-onnx';
import { settle } from './settle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};

if (flag('rss-child')) {
  await rssChild(option('rss-child'), Number(option('threads', '2')));
  process.exit(0);
}

const iters = Number(option('iters', '20'));
const threads = Number(option('threads', '2'));
const torchPath = option('torch', '/tmp/swin_t_torch.onnx');
const out = resolve(option('out', resolve(here, '../../../reports/bench-onnx')));
const sessionOptions = onnxSessionOptions({ threads, executionProviders: ['cpu'] });
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const report = {
  machine: { cpu: cpus()[0]?.model, cores: availableParallelism(), loadavgAtStart: loadavg(), node: process.version, onnxruntime: ort.env.versions?.common ?? '1.30.0' },
  sessionOptions,
  iterations: iters,
};

function swinT(size) {
  const graph = buildSwinV1Graph(SWIN_V1_DEFAULTS, randomSwinV1Weights(SWIN_V1_DEFAULTS, 1), { inputSize: [size, size] }).graph;
  const model = buildOnnxModel(graph);
  return { graph, model, bytes: encodeOnnxModel(model) };
}

function input(batch, size) {
  return new ort.Tensor('float32', new SeededRandom(batch).normalArray(batch * 3 * size * size), [batch, 3, size, size]);
}

/** Runs every session on the same input, alternating the order each iteration, each run after settle(); medians in ms. */
async function interleaved(sessions, x) {
  const times = sessions.map(() => []);
  for (let i = 0; i < iters + 2; i++) {
    const order = i % 2 ? [...sessions.keys()].reverse() : [...sessions.keys()];
    for (const j of order) {
      await settle();
      const t = performance.now();
      await sessions[j].run({ [sessions[j].inputNames[0]]: x });
      if (i >= 2) times[j].push(performance.now() - t);
    }
  }
  return times.map((t) => ({ median: median(t), min: Math.min(...t) }));
}

function opCounts(model) {
  const counts = {};
  for (const n of model.graph.nodes) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
  return { nodes: model.graph.nodes.length, constantNodes: counts['Constant'] ?? 0, byOp: counts };
}

/** Nodes after onnxruntime's own optimizations (level 'extended': hardware independent). */
async function optimizedCount(modelOrPath, tag) {
  const path = `/tmp/bench-onnx-${process.pid}-${tag}.opt.onnx`;
  const s = await ort.InferenceSession.create(modelOrPath, { ...sessionOptions, graphOptimizationLevel: 'extended', optimizedModelFilePath: path });
  await s.release();
  return opCounts(decodeOnnxModel(new Uint8Array(readFileSync(path)))).nodes;
}

const t224 = swinT(224);
report.swinT = { gmacs: countMacs(t224.graph) / 1e9, ours: opCounts(t224.model), oursAfterOrtExtended: await optimizedCount(t224.bytes, 'ours') };

if (!flag('skip-compare')) {
  if (!existsSync(torchPath)) {
    console.error(`no torch export at ${torchPath}: run /usr/bin/python3 tools/reference/export_torch_onnx.py --out ${torchPath}`);
    process.exit(2);
  }
  const torchModel = decodeOnnxModel(new Uint8Array(readFileSync(torchPath)));
  report.torch = { path: torchPath, ...opCounts(torchModel), afterOrtExtended: await optimizedCount(torchPath, 'torch') };
  const ours = await ort.InferenceSession.create(t224.bytes, sessionOptions);
  const torch = await ort.InferenceSession.create(torchPath, sessionOptions);
  report.compare = [];
  for (const batch of (option('batches', '1,8')).split(',').map(Number)) {
    const [o, t] = await interleaved([ours, torch], input(batch, 224));
    const row = { batch, oursMs: o.median, torchMs: t.median, oursMinMs: o.min, torchMinMs: t.min, ratio: o.median / t.median, oursMsPerImage: o.median / batch, torchMsPerImage: t.median / batch };
    report.compare.push(row);
    console.log(`batch ${batch}: ours ${o.median.toFixed(1)} ms, torch export ${t.median.toFixed(1)} ms, ratio ${row.ratio.toFixed(3)}`);
  }
  await ours.release();
  await torch.release();
}

if (!flag('skip-scaling')) {
  const sizes = [224, 448, 896];
  const sessions = [];
  for (const s of sizes) sessions.push(await ort.InferenceSession.create(s === 224 ? t224.bytes : swinT(s).bytes, sessionOptions));
  // Interleave the three sizes on their own inputs.
  const times = sizes.map(() => []);
  const inputs = sizes.map((s) => input(1, s));
  for (let i = 0; i < iters + 2; i++) {
    for (let j = 0; j < sizes.length; j++) {
      await settle();
      const t = performance.now();
      await sessions[j].run({ input: inputs[j] });
      if (i >= 2) times[j].push(performance.now() - t);
    }
  }
  const base = median(times[0]);
  report.scaling = sizes.map((s, j) => ({ size: s, ms: median(times[j]), vs224: median(times[j]) / base, gmacs: countMacs(buildSwinV1Graph(SWIN_V1_DEFAULTS, randomSwinV1Weights(SWIN_V1_DEFAULTS, 1), { inputSize: [s, s] }).graph) / 1e9 }));
  for (const r of report.scaling) console.log(`${r.size}px: ${r.ms.toFixed(1)} ms, x${r.vs224.toFixed(2)} of 224 (${r.gmacs.toFixed(2)} GMAC)`);
  for (const s of sessions) await s.release();
}

if (!flag('skip-rss')) {
  report.rss = [];
  // Each model twice: glibc's default malloc, and with large blocks returned to the system at once.
  for (const variant of ['swin-t', 'swin-b']) {
    for (const mallocThreshold of [undefined, '131072']) {
      const env = mallocThreshold ? { ...process.env, MALLOC_MMAP_THRESHOLD_: mallocThreshold } : process.env;
      const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--rss-child', variant, '--threads', String(threads)], { encoding: 'utf8', env });
      if (child.status !== 0) throw new Error(`rss child ${variant} failed: ${child.stderr}`);
      const r = { ...JSON.parse(child.stdout.trim().split('\n').pop()), malloc: mallocThreshold ? `MALLOC_MMAP_THRESHOLD_=${mallocThreshold}` : 'default' };
      report.rss.push(r);
      console.log(`${variant} (${r.malloc}): weights ${r.weightsMB} MB; RSS ${r.beforeMB} MB before compile, peak ${r.peakMB} MB, ${r.afterMB} MB after, ${r.withoutJsWeightsMB} MB once the caller drops its weights (session holds ${(r.sessionMB / r.weightsMB).toFixed(2)} weight copies, peak adds ${((r.peakMB - r.beforeMB) / r.weightsMB).toFixed(2)})`);
    }
  }
}

report.machine.loadavgAtEnd = loadavg();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.json`, JSON.stringify(report, null, 1));
writeFileSync(`${out}.md`, markdown(report));
console.log(`wrote ${out}.json and ${out}.md`);

function markdown(r) {
  const lines = [`Swin-T 224 fp32, onnxruntime-node ${r.machine.onnxruntime}, ${r.sessionOptions.intraOpNumThreads} intra-op threads, ${r.machine.cpu} (${r.machine.cores} cores), load average ${r.machine.loadavgAtStart.map((l) => l.toFixed(1)).join('/')} at start`, ''];
  if (r.compare) {
    lines.push('| batch | ours (ms) | torch export (ms) | ours / torch |', '| ---: | ---: | ---: | ---: |');
    for (const c of r.compare) lines.push(`| ${c.batch} | ${c.oursMs.toFixed(1)} | ${c.torchMs.toFixed(1)} | ${c.ratio.toFixed(3)} |`);
    lines.push('', `Nodes: ours ${r.swinT.ours.nodes} (${r.swinT.ours.constantNodes} Constant), torch export ${r.torch.nodes} (${r.torch.constantNodes} Constant); after onnxruntime's 'extended' optimizations: ours ${r.swinT.oursAfterOrtExtended}, torch ${r.torch.afterOrtExtended}.`, '');
  }
  if (r.scaling) {
    lines.push('| input | ms (batch 1) | vs 224 | GMAC |', '| ---: | ---: | ---: | ---: |');
    for (const s of r.scaling) lines.push(`| ${s.size}² | ${s.ms.toFixed(1)} | ${s.vs224.toFixed(2)}x | ${s.gmacs.toFixed(2)} |`);
    lines.push('');
  }
  if (r.rss) {
    lines.push('| model | malloc | weights (MB) | RSS before compile (MB) | peak during compile (MB) | RSS after (MB) | RSS after, JS weights dropped (MB) | peak − before, in weight copies |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const m of r.rss) lines.push(`| ${m.variant} | ${m.malloc} | ${m.weightsMB} | ${m.beforeMB} | ${m.peakMB} | ${m.afterMB} | ${m.withoutJsWeightsMB} | ${((m.peakMB - m.beforeMB) / m.weightsMB).toFixed(2)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** In a fresh process: weights in memory, then compile on the onnx backend; prints RSS figures as JSON. */
async function rssChild(variant, threadCount) {
  const { createOnnxBackend } = await import('@swin/backend-onnx/node');
  const mb = (kb) => Math.round(kb / 1024);
  const status = () => {
    const s = readFileSync('/proc/self/status', 'utf8');
    const get = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)[1]);
    return { rss: get('VmRSS'), hwm: get('VmHWM') };
  };
  const config = variant === 'swin-b' ? { ...SWIN_V1_DEFAULTS, embed_dim: 128, depths: [2, 2, 18, 2], num_heads: [4, 8, 16, 32] } : SWIN_V1_DEFAULTS;
  let weights = randomSwinV1Weights(config, 1);
  let bytes = 0;
  for (const t of weights.values()) bytes += t.data.byteLength;
  let graph = buildSwinV1Graph(config, weights).graph;
  globalThis.gc?.();
  // Reset the high-water mark so the peak is the compile's own (Linux: writing 5 to clear_refs).
  try { writeFileSync('/proc/self/clear_refs', '5'); } catch {}
  const before = status();
  const backend = createOnnxBackend({ threads: threadCount, sessionOptions: JSON.parse(process.env.BENCH_SESSION_OPTIONS ?? '{}') });
  const exe = await backend.compile(graph);
  globalThis.gc?.();
  const after = status();
  // The caller lets go of its weights: what remains is the session.
  weights = undefined;
  graph = undefined;
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  const alone = status();
  await exe.run({ input: { dtype: 'float32', shape: [1, 3, 224, 224], data: new Float32Array(3 * 224 * 224) } });
  console.log(JSON.stringify({ variant, weightsMB: Math.round(bytes / 2 ** 20), beforeMB: mb(before.rss), peakMB: mb(after.hwm), afterMB: mb(after.rss), sessionMB: mb(after.rss - before.rss), withoutJsWeightsMB: mb(alone.rss) }));
  exe.dispose();
  await backend.dispose();
}
