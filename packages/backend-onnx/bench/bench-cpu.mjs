// CPU benchmark of @swin/backend-onnx (not a test): one command prepares every candidate file
// (ours afresh, PyTorch's export once), times them interleaved in one process, and writes
// reports/bench-cpu.{json,md}.
//
//   corepack pnpm --filter @swin/backend-onnx... build        # or: npm start
//   node packages/backend-onnx/bench/bench-cpu.mjs [--iters 12] [--threads 2] [--settle-ms 100] [--quick]
//
// Candidates (Swin-T 224, dynamic batch), all of the same weights: PyTorch's own export of
// torchvision's swin_t (tools/reference/export_torch_onnx.py, Debian /usr/bin/python3 with torch,
// seed 0), which also saves that model's state_dict; our float32, int8 and float16 exports of that
// state_dict (read by @swin/weights, re-exported on every run so they follow the exporter); and
// onnxruntime's stock quantize_dynamic applied to our float32 file (pip's onnxruntime + onnx in a
// venv under .cache/bench-cpu). Same weights matter twice: the float32 logits must agree with
// PyTorch's export, and timing depends on the values (onnxruntime's softmax runs about 2x slower
// when its exponentials underflow to subnormal floats, as they do more with larger weights). Each file runs under
// two session-option sets, both in the same interleaved loop, and its row uses the faster one:
//   ort-defaults: onnxruntime's defaults (memory arena and memory patterns on, all graph
//                 optimizations), intra-op threads fixed;
//   swin:         what @swin/backend-onnx uses (onnxSessionOptions: sequential, arena on with the
//                 initializers allocated outside it).
// Every timed run waits SETTLE_MS first (settle.mjs): each session has its own intra-op thread
// pool, whose threads keep spinning for up to ~30 ms after a run and would otherwise share the
// cores with the next candidate's run.
// Then scaling: our float32 and int8 at 224², 448² and 896², batch 1. Last, the work per run: CPU
// time (process.cpuUsage) of every file at batch 1 with ONE intra-op thread, interleaved: other
// processes stretch wall time far more than the CPU time a run consumes (at load 15-20 the ratios
// moved by a few percent where wall-clock ones moved by 30%), but it leaves out what a second
// thread adds or loses. `uptime` is printed before and after. The wall-clock figures are "not
// settled" when the load average was above 1.5 before the run, or when other processes kept more
// than 0.25 cores busy during it (benchQuiet of @swin/core/node; the run's own threads lift the load average it
// ends with, so that figure cannot judge the end of the run).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { SeededRandom, buildModelGraph } from '@swin/core';
import { readWeightsFile } from '@swin/weights/node';
import { exportOnnx, onnxSessionOptions } from '@swin/backend-onnx';
import { NOT_SETTLED_LOAD, NOT_SETTLED_OTHERS_CORES, benchQuiet, cpuSnapshot } from '@swin/core/node';
import { SETTLE_MS, settle } from './settle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = args.includes('--quick');
const iters = Number(option('iters', quick ? '4' : '12'));
const iters8 = Math.max(3, Math.round(iters / 2));
const threads = Number(option('threads', '2'));
/** The pause before each timed run (settle.mjs); 0 reproduces the spinning neighbours it avoids. */
const settleMs = Number(option('settle-ms', String(SETTLE_MS)));
const cacheDir = resolve(option('cache', join(root, '.cache/bench-cpu')));
const out = resolve(option('out', join(root, 'reports/bench-cpu')));

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const log = (line) => console.log(line);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const startCpu = cpuSnapshot();
const start = { date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', uptime: uptime(), loadavg: loadavg() };
log(`before: ${start.uptime}`);
mkdirSync(cacheDir, { recursive: true });

// ---- candidate files ----------------------------------------------------------------------------
const torch = torchExport();
const { config, weights } = readWeightsFile(torch.stateDict);
/** Our export of the PyTorch export's weights, written afresh once per run (the exporter may have changed since the cache was filled). */
const exported = new Set();
const ourFile = (dtype, size) => {
  const path = join(cacheDir, `swin_t_${size}_${dtype}.onnx`);
  if (!exported.has(path)) {
    log(`exporting ${path}`);
    const graph = buildModelGraph(config, weights, { inputSize: [size, size] }).graph;
    writeAtomic(path, exportOnnx(graph, { dtype, dynamicBatch: true }));
    exported.add(path);
  }
  return path;
};

function writeAtomic(path, bytes) {
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
}

function run(cmd, argv, what) {
  log(`${what}: ${cmd} ${argv.join(' ')}`);
  const r = spawnSync(cmd, argv, { stdio: ['ignore', 'inherit', 'inherit'], cwd: root });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${cmd} ${argv.join(' ')}`);
}

/** PyTorch's export and the state_dict it was made from (kept in the cache: they depend only on torch). */
function torchExport() {
  const path = join(cacheDir, 'swin_t_224_torch_export.onnx');
  const stateDict = join(cacheDir, 'swin_t_torchvision_seed0.pth');
  if (!existsSync(path) || !existsSync(stateDict)) {
    run('/usr/bin/python3', [join(root, 'tools/reference/export_torch_onnx.py'), '--out', path, '--state-dict', stateDict, '--seed', '0'], "PyTorch's ONNX export");
  }
  return { path, stateDict };
}

/** onnxruntime's quantize_dynamic of our float32 file, redone every run since that file is. */
function stockQuantized(f32Path) {
  const path = join(cacheDir, 'swin_t_224_f32_stock_quantize_dynamic.onnx');
  const venv = join(cacheDir, 'quant-venv');
  const python = join(venv, 'bin/python');
  if (!existsSync(python)) {
    run('python3', ['-m', 'venv', venv], 'venv for the stock quantizer');
    run(join(venv, 'bin/pip'), ['install', '--quiet', '--retries', '0', `onnxruntime==${ortVersion()}`, 'onnx'], 'pip install onnxruntime onnx');
  }
  run(python, [join(here, 'quantize-stock.py'), f32Path, `${path}.tmp`], 'onnxruntime quantize_dynamic');
  renameSync(`${path}.tmp`, path);
  return path;
}

function ortVersion() {
  return JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.resolve('onnxruntime-node'))), '../package.json'), 'utf8')).version;
}

const files = {
  'ours float32': ourFile('float32', 224),
  'ours int8': ourFile('int8', 224),
  'ours float16': ourFile('float16', 224),
  'PyTorch export (torchvision swin_t)': torch.path,
};
files['stock quantize_dynamic of ours float32'] = stockQuantized(files['ours float32']);

// ---- sessions -------------------------------------------------------------------------------------
const SETTINGS = {
  'ort-defaults': { executionProviders: ['cpu'], intraOpNumThreads: threads },
  swin: onnxSessionOptions({ threads, executionProviders: ['cpu'] }),
};

const input = (batch, size) => new ort.Tensor('float32', new SeededRandom(batch).normalArray(batch * 3 * size * size), [batch, 3, size, size]);

async function createSessions(entries) {
  const sessions = [];
  for (const [label, path] of entries) {
    for (const [setting, options] of Object.entries(SETTINGS)) {
      sessions.push({ label, setting, path, session: await ort.InferenceSession.create(path, options) });
    }
  }
  return sessions;
}

/** Every session on the same input, order reversed every other round; times in ms. */
async function interleaved(sessions, x, rounds, warmup = 2) {
  const times = sessions.map(() => []);
  for (let i = 0; i < rounds + warmup; i++) {
    const order = i % 2 ? [...sessions.keys()].reverse() : [...sessions.keys()];
    for (const j of order) {
      const s = sessions[j].session;
      await settle(settleMs);
      const t = performance.now();
      await s.run({ [s.inputNames[0]]: x });
      if (i >= warmup) times[j].push(performance.now() - t);
    }
    process.stdout.write('.');
  }
  process.stdout.write('\n');
  return times;
}

function bestPerFile(sessions, times) {
  const rows = {};
  sessions.forEach((s, j) => {
    const ms = median(times[j]);
    const row = (rows[s.label] ??= { label: s.label, path: s.path, bySetting: {} });
    row.bySetting[s.setting] = { medianMs: ms, minMs: Math.min(...times[j]) };
    if (row.ms === undefined || ms < row.ms) Object.assign(row, { ms, setting: s.setting });
  });
  return rows;
}

/** Cosine similarity and max abs difference of each candidate's logits to ours float32 (all have the same weights). */
async function agreement(sessions, x) {
  const logitsOf = async (s) => (await s.run({ [s.inputNames[0]]: x }))[s.outputNames[0]].data;
  const ref = await logitsOf(sessions.find((s) => s.label === 'ours float32').session);
  const result = {};
  for (const s of sessions) {
    if (s.setting !== 'ort-defaults') continue;
    const y = await logitsOf(s.session);
    let dot = 0, yy = 0, rr = 0, maxAbs = 0;
    for (let i = 0; i < y.length; i++) {
      dot += y[i] * ref[i];
      yy += y[i] * y[i];
      rr += ref[i] * ref[i];
      maxAbs = Math.max(maxAbs, Math.abs(y[i] - ref[i]));
    }
    result[s.label] = { cosine: dot / Math.sqrt(yy * rr), maxAbs };
  }
  return result;
}

/** Median CPU time (user + system, ms) of one run per file, one intra-op thread, interleaved; onnxruntime's defaults otherwise. */
async function cpuTimePerRun(entries, x, rounds, warmup = 2) {
  const sessions = [];
  for (const [label, path] of entries) sessions.push({ label, session: await ort.InferenceSession.create(path, { executionProviders: ['cpu'], intraOpNumThreads: 1 }) });
  const times = sessions.map(() => []);
  for (let i = 0; i < rounds + warmup; i++) {
    for (const [j, { session }] of sessions.entries()) {
      const before = process.cpuUsage();
      await session.run({ [session.inputNames[0]]: x });
      const used = process.cpuUsage(before);
      if (i >= warmup) times[j].push((used.user + used.system) / 1000);
    }
  }
  for (const s of sessions) await s.session.release();
  return Object.fromEntries(sessions.map((s, j) => [s.label, { medianMs: median(times[j]), minMs: Math.min(...times[j]) }]));
}

const report = {
  machine: { cpu: cpus()[0]?.model, cores: availableParallelism(), node: process.version, onnxruntime: ortVersion() },
  threads,
  settings: SETTINGS,
  iterations: { batch1: iters, batch8: iters8 },
  settleMs,
  files: Object.fromEntries(Object.entries(files).map(([k, p]) => [k, { path: p, mb: readFileSync(p).length / 1e6 }])),
  before: start,
};

const sessions = await createSessions(Object.entries(files));
report.agreement = await agreement(sessions, input(1, 224));
report.batches = [];
for (const [batch, rounds] of [[1, iters], [8, iters8]]) {
  log(`batch ${batch}: ${sessions.length} sessions x ${rounds} interleaved rounds`);
  const rows = bestPerFile(sessions, await interleaved(sessions, input(batch, 224), rounds));
  report.batches.push({ batch, rows });
  for (const r of Object.values(rows)) log(`  ${r.label}: ${r.ms.toFixed(1)} ms (${r.setting}; ${Object.entries(r.bySetting).map(([k, v]) => `${k} ${v.medianMs.toFixed(1)}`).join(', ')})`);
}
for (const s of sessions) await s.session.release();

log('scaling: ours float32 and int8 at 224, 448, 896 (batch 1)');
const sizes = [224, 448, 896];
report.scaling = [];
for (const dtype of ['float32', 'int8']) {
  const best = report.batches[0].rows[`ours ${dtype}`].setting;
  const scaled = [];
  for (const size of sizes) scaled.push({ label: `${size}`, setting: best, session: await ort.InferenceSession.create(ourFile(dtype, size), SETTINGS[best]) });
  const times = sizes.map(() => []);
  const inputs = sizes.map((s) => input(1, s));
  for (let i = 0; i < Math.max(3, Math.round(iters / 2)) + 1; i++) {
    for (const [j, s] of scaled.entries()) {
      await settle(settleMs);
      const t = performance.now();
      await s.session.run({ [s.session.inputNames[0]]: inputs[j] });
      if (i >= 1) times[j].push(performance.now() - t);
    }
  }
  const base = median(times[0]);
  for (const [j, size] of sizes.entries()) report.scaling.push({ dtype, size, ms: median(times[j]), vs224: median(times[j]) / base, setting: best });
  for (const s of scaled) await s.session.release();
}
for (const r of report.scaling) log(`  ${r.dtype} ${r.size}²: ${r.ms.toFixed(1)} ms, ${r.vs224.toFixed(2)}x of 224²`);

log('work per run: CPU time at batch 1, one intra-op thread');
report.cpuTime = await cpuTimePerRun(Object.entries(files), input(1, 224), iters);
for (const [label, v] of Object.entries(report.cpuTime)) log(`  ${label}: ${v.medianMs.toFixed(1)} ms CPU`);

report.after = { uptime: uptime(), loadavg: loadavg() };
// The run's own threads raise the load average it ends with, so "after" is judged by what the
// other processes used meanwhile where that can be measured (Linux), by the load average elsewhere.
const quiet = benchQuiet(report.before.loadavg[0], report.after.loadavg[0], startCpu, cpuSnapshot());
report.othersCores = quiet.othersCores;
report.settled = quiet.settled;
report.settledReason = quiet.reason;
log(`after: ${report.after.uptime}`);
if (report.othersCores !== undefined) log(`other processes during the run: ${report.othersCores.toFixed(2)} cores on average`);
if (!report.settled) log(`NOT SETTLED: ${quiet.reason}; re-run on a quiet machine`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.json`, `${JSON.stringify(report, null, 1)}\n`);
writeFileSync(`${out}.md`, markdown(report));
log(markdown(report));
log(`wrote ${out}.json and ${out}.md`);

function markdown(r) {
  const status = r.settled ? 'settled' : '**not settled**';
  const lines = [
    `Measured ${r.before.date} with \`node packages/backend-onnx/bench/bench-cpu.mjs\`.`,
    `Swin-T, onnxruntime-node ${r.machine.onnxruntime}, ${r.threads} intra-op threads, ${r.machine.cpu} (${r.machine.cores} cores), Node ${r.machine.node}.`,
    `Load: before \`${r.before.uptime}\`; after \`${r.after.uptime}\`${r.othersCores === undefined ? '' : `; other processes used ${r.othersCores.toFixed(2)} cores on average during the run`} — ${status} (load before ≤ ${NOT_SETTLED_LOAD}; others ≤ ${NOT_SETTLED_OTHERS_CORES} cores, since the run's own two threads raise the load it ends with).`,
    `Median of ${r.iterations.batch1} (batch 1) / ${r.iterations.batch8} (batch 8) interleaved runs after 2 warm-ups, with a ${r.settleMs} ms pause before each run (the previous session's intra-op threads spin for up to ~30 ms after its run: \`bench/settle.mjs\`); each file under the faster of onnxruntime's defaults and our backend's options (column "options").`,
    '',
    '| candidate | file (MB) | batch 1 ms | options | batch 8 ms | options | logits vs ours float32, same weights (cosine / max abs) |',
    '| --- | ---: | ---: | --- | ---: | --- | --- |',
  ];
  const [b1, b8] = r.batches;
  for (const label of Object.keys(b1.rows)) {
    const a = r.agreement[label];
    lines.push(`| ${label} | ${r.files[label].mb.toFixed(1)} | ${b1.rows[label].ms.toFixed(1)} | ${b1.rows[label].setting} | ${b8.rows[label].ms.toFixed(1)} | ${b8.rows[label].setting} | ${a.cosine.toFixed(5)} / ${a.maxAbs.toExponential(1)} |`);
  }
  const ratio = (a, b, batch) => (batch.rows[a].ms / batch.rows[b].ms).toFixed(3);
  const pairs = [
    ['ours float32', 'PyTorch export (torchvision swin_t)', 'goal ≤ 0.80'],
    ['ours int8', 'ours float32', 'goal ≤ 0.45'],
    ['ours int8', 'stock quantize_dynamic of ours float32', 'goal ≤ 0.70'],
    ['ours float16', 'ours float32', ''],
  ];
  lines.push('', '| ratio | batch 1 | batch 8 | goal |', '| --- | ---: | ---: | --- |');
  for (const [a, b, goal] of pairs) lines.push(`| ${a} / ${b} | ${ratio(a, b, b1)} | ${ratio(a, b, b8)} | ${goal} |`);
  lines.push('', '| scaling (batch 1) | 224² ms | 448² ms | 896² ms | 448² / 224² (goal ≤ 4.4) | 896² / 224² (goal ≤ 18) |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const dtype of ['float32', 'int8']) {
    const s = r.scaling.filter((x) => x.dtype === dtype);
    lines.push(`| ours ${dtype} | ${s[0].ms.toFixed(1)} | ${s[1].ms.toFixed(1)} | ${s[2].ms.toFixed(1)} | ${s[1].vs224.toFixed(2)} | ${s[2].vs224.toFixed(2)} |`);
  }
  const cpu = r.cpuTime;
  const f32 = cpu['ours float32'].medianMs;
  lines.push('', 'Work per run (CPU time at batch 1 with one intra-op thread, interleaved, median of the same number of rounds as batch 1; far less sensitive to load than wall time, but it leaves out what a second thread adds):', '', '| candidate | CPU ms per run | / ours float32 |', '| --- | ---: | ---: |');
  for (const [label, v] of Object.entries(cpu)) lines.push(`| ${label} | ${v.medianMs.toFixed(1)} | ${(v.medianMs / f32).toFixed(3)} |`);
  const stock = cpu['stock quantize_dynamic of ours float32'].medianMs;
  lines.push(`| ours int8 / stock quantize_dynamic of ours float32 | | ${(cpu['ours int8'].medianMs / stock).toFixed(3)} |`);
  return `${lines.join('\n')}\n`;
}
