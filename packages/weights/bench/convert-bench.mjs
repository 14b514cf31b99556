#!/usr/bin/env node
// Benchmark of the streaming converter on a Swin-B-sized checkpoint (official .pth, ~350 MB):
// median wall and CPU time of several conversions per output dtype and the peak RSS of each (a
// fresh process per run), against reading and copying (+fsync) the same file, measured in the same
// run and interleaved with the conversions.
//
//   corepack pnpm --filter @swin/weights build
//   node packages/weights/bench/convert-bench.mjs [--runs 5] [--dir /tmp/swin-bench] [--json out.json]
//
// Needs Debian's python3-torch once, to write the checkpoint (cached in --dir).

import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(opt('runs', 5));
const dir = opt('dir', '/tmp/swin-bench');
const jsonOut = opt('json', undefined);
const dist = join(here, '..', 'dist', 'node', 'index.js');
if (!existsSync(dist)) {
  console.error(`build first: corepack pnpm --filter @swin/weights build (missing ${dist})`);
  process.exit(1);
}
mkdirSync(dir, { recursive: true });
const input = join(dir, 'swin_b_official.pth');
if (!existsSync(input)) {
  const python = process.env.SWIN_PYTHON ?? '/usr/bin/python3';
  console.error(`writing ${input} with ${python} (PyTorch)...`);
  execFileSync(python, [join(here, 'make_swin_b_checkpoint.py'), input], { stdio: 'inherit' });
}
const size = statSync(input).size;
const MB = 1024 * 1024;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Reads the whole file in 8 MiB chunks (page cache warm after the first pass), MB/s. */
function readSpeed() {
  const fd = openSync(input, 'r');
  const buf = Buffer.allocUnsafe(8 * MB);
  const t0 = performance.now();
  let pos = 0;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n === 0) break;
    pos += n;
  }
  closeSync(fd);
  return pos / MB / ((performance.now() - t0) / 1000);
}

/** `cat file > /dev/null`, MB/s. */
function catSpeed() {
  const t0 = performance.now();
  execFileSync('sh', ['-c', `cat '${input}' > /dev/null`]);
  return size / MB / ((performance.now() - t0) / 1000);
}

/** Runs a module snippet in a fresh Node process; it prints one JSON line, to which wall/CPU/RSS are added. */
function child(body) {
  const script = `
    const t0 = performance.now();
    const extra = await (async () => { ${body} })();
    const u = process.resourceUsage();
    console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssBytes: u.maxRSS * 1024, ...extra }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

/** The floor for any converter: copy the file in 8 MiB chunks and fsync, in a Node process. */
function copyOnce() {
  const out = join(dir, 'copy.bin');
  const r = child(`
    const fs = await import('node:fs');
    const src = fs.openSync(${JSON.stringify(input)}, 'r');
    const dst = fs.openSync(${JSON.stringify(out)}, 'w');
    const buf = Buffer.allocUnsafe(8 << 20);
    for (let pos = 0;;) {
      const n = fs.readSync(src, buf, 0, buf.length, pos);
      if (n === 0) break;
      fs.writeSync(dst, buf, 0, n);
      pos += n;
    }
    fs.fsyncSync(dst);
    fs.closeSync(dst);
    fs.closeSync(src);
    return {};
  `);
  rmSync(out);
  return r;
}

/** One conversion in a fresh Node process ('float32-nocrc': without zip CRC-32 verification). */
function convertOnce(variant) {
  const dtype = variant.replace('-nocrc', '');
  const verifyChecksums = !variant.endsWith('-nocrc');
  const out = join(dir, `swin_b_${variant}.safetensors`);
  const r = child(`
    const { convertCheckpointFile } = await import(${JSON.stringify(dist)});
    const r = await convertCheckpointFile(${JSON.stringify(input)}, ${JSON.stringify(out)}, { dtype: ${JSON.stringify(dtype)}, verifyChecksums: ${verifyChecksums} });
    return { bytes: r.bytesWritten, tensors: r.tensorCount, scheme: r.scheme };
  `);
  rmSync(out);
  return r;
}

readSpeed(); // warm the page cache so every figure below is measured the same way
const dtypes = ['float32', 'float16', 'bfloat16', 'float32-nocrc'];
const samples = { read: [], cat: [], copy: [], ...Object.fromEntries(dtypes.map((d) => [d, []])) };
// Interleaved: the machine is shared, so each round measures the baselines and every conversion
// under the same conditions; medians over rounds.
for (let i = 0; i < runs; i++) {
  samples.read.push(readSpeed());
  samples.cat.push(catSpeed());
  samples.copy.push(copyOnce());
  for (const d of dtypes) samples[d].push(convertOnce(d));
}
const read = median(samples.read);
const cat = median(samples.cat);
const copySeconds = median(samples.copy.map((r) => r.seconds));
const copyCpu = median(samples.copy.map((r) => r.cpuSeconds));
const copyRss = Math.max(...samples.copy.map((r) => r.maxRssBytes));
const rows = dtypes.map((dtype) => {
  const rs = samples[dtype];
  const seconds = median(rs.map((r) => r.seconds));
  const cpuSeconds = median(rs.map((r) => r.cpuSeconds));
  const rss = Math.max(...rs.map((r) => r.maxRssBytes));
  return { dtype, seconds, cpuSeconds, inputMBps: size / MB / seconds, overCopy: seconds / copySeconds, outputBytes: rs[0].bytes, peakRssBytes: rss, peakRssOverInput: rss / size, tensors: rs[0].tensors, runs };
});
const os = await import('node:os');
const report = { input, inputBytes: size, node: process.version, cpus: os.cpus().length, loadavg: os.loadavg(), readMBps: read, catMBps: cat, copy: { seconds: copySeconds, cpuSeconds: copyCpu, MBps: size / MB / copySeconds, peakRssBytes: copyRss }, conversions: rows };
const f = (x, d = 0) => x.toFixed(d);
console.log(`input: ${input} (${f(size / MB, 1)} MiB, Swin-B official .pth), node ${process.version}, ${report.cpus} CPUs, load average ${report.loadavg.map((x) => f(x, 1)).join(' ')}, ${runs} interleaved rounds`);
console.log(`disk (page cache warm): fs read ${f(read)} MB/s, cat ${f(cat)} MB/s; copy+fsync in Node ${f(copySeconds, 2)} s (${f(size / MB / copySeconds)} MB/s, CPU ${f(copyCpu, 2)} s, peak RSS ${f(copyRss / MB)} MiB)`);
console.log('');
console.log('| output | median wall (s) | CPU (s) | input MB/s | time / copy+fsync | output MiB | peak RSS (MiB) | peak RSS / input |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.dtype} | ${f(r.seconds, 2)} | ${f(r.cpuSeconds, 2)} | ${f(r.inputMBps)} | ${f(r.overCopy, 2)}x | ${f(r.outputBytes / MB, 1)} | ${f(r.peakRssBytes / MB)} | ${f(r.peakRssOverInput, 2)}x |`);
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(report, null, 1) + '\n');
