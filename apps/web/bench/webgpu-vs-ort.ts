// Swin-T, @swin/backend-webgpu versus onnxruntime-web's WebGPU provider (running the ONNX
// @swin/backend-onnx exports) on the same adapter in headless Chromium (SwiftShader here),
// interleaved: ours, ort, ours, ort... Prints medians and per-kernel timings; with
// --write-readme, replaces the figures block in packages/backend-webgpu/README.md. It lives in the
// web app because it needs two backends, and backends never import each other.
// Run: pnpm --filter @swin/web bench:webgpu -- [--runs N] [--write-readme].

import { exportOnnx } from '@swin/backend-onnx';
import { SWIN_V1_DEFAULTS, buildSwinV1Graph, randomSwinV1Weights } from '@swin/core';
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The Chromium launcher and page server backend-webgpu's own browser tests use.
import { launchWebGpuChromium, servePage } from '../../../packages/backend-webgpu/test/helpers/chromium.js';

// run-bench.mjs bundles this file elsewhere and says where the package is.
const packageDir = process.env['SWIN_BENCH_PACKAGE_DIR'] ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const here = join(packageDir, 'bench');
const readmePath = join(packageDir, '..', '..', 'packages', 'backend-webgpu', 'README.md');
const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const runs = opt('runs', 3);
const size = opt('size', 224);
const seed = opt('seed', 1);
const batch = 1;
const writeReadme = args.includes('--write-readme');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  console.log(`Swin-T ${size}x${size}, batch ${batch}, ${runs} interleaved runs each (after one warm-up each)`);
  const config = { ...SWIN_V1_DEFAULTS };
  const model = buildSwinV1Graph(config, randomSwinV1Weights(config, seed), { inputSize: [size, size], batch });
  const onnx = exportOnnx(model.graph, { dynamicBatch: false });
  console.log(`exported ONNX: ${(onnx.byteLength / 1e6).toFixed(1)} MB`);
  const bundle = await build({ entryPoints: [join(here, 'webgpu-vs-ort-page.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  const ortDist = join(packageDir, 'node_modules', 'onnxruntime-web', 'dist');
  const page = '<!doctype html><meta charset="utf-8"><title>swin bench</title><script type="module" src="/bench.js"></script>';
  const server = await servePage(
    {
      '/': { type: 'text/html', body: page },
      '/bench.js': { type: 'text/javascript', body: bundle.outputFiles[0]!.contents },
      '/model.onnx': { type: 'application/octet-stream', body: onnx },
    },
    { '/ort/': ortDist },
  );
  const browser = await launchWebGpuChromium();
  const consoleLines: string[] = [];
  browser.page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  try {
    await browser.page.goto(`${server.url}/`);
    await browser.page.waitForFunction(() => 'swinBench' in globalThis);
    type Bench = {
      setup(o: unknown): Promise<{ adapter: string; tiling: string; timestamps: boolean; compileMs: number; ortSessionMs: number }>;
      runOurs(): Promise<{ ms: number; logits: number[] }>;
      runOrt(): Promise<{ ms: number; logits: number[] }>;
      profileOurs(): Promise<{ method: string; steps: { label: string; milliseconds: number }[] }>;
    };
    const call = <K extends keyof Bench>(k: K, arg?: unknown) =>
      browser.page.evaluate(([key, a]) => (globalThis as unknown as { swinBench: Record<string, (x: unknown) => unknown> }).swinBench[key as string]!(a), [k, arg] as const) as ReturnType<Bench[K]>;
    const info = await call('setup', { seed, size, batch });
    console.log(`adapter: ${info.adapter}; our kernels: ${info.tiling} tiling; compile ${info.compileMs.toFixed(0)} ms; ort session ${info.ortSessionMs.toFixed(0)} ms`);
    const warmOurs = await call('runOurs');
    const warmOrt = await call('runOrt');
    let diff = 0;
    for (let i = 0; i < warmOurs.logits.length; i++) diff = Math.max(diff, Math.abs(warmOurs.logits[i]! - warmOrt.logits[i]!));
    console.log(`warm-up: ours ${warmOurs.ms.toFixed(0)} ms, ort ${warmOrt.ms.toFixed(0)} ms; logits max abs difference ${diff.toExponential(2)}`);
    const oursMs: number[] = [];
    const ortMs: number[] = [];
    for (let r = 0; r < runs; r++) {
      oursMs.push((await call('runOurs')).ms);
      ortMs.push((await call('runOrt')).ms);
      console.log(`run ${r + 1}: ours ${oursMs[r]!.toFixed(0)} ms, ort ${ortMs[r]!.toFixed(0)} ms`);
    }
    const profile = await call('profileOurs');
    const byLabel = new Map<string, { ms: number; count: number }>();
    for (const s of profile.steps) {
      const e = byLabel.get(s.label) ?? { ms: 0, count: 0 };
      e.ms += s.milliseconds;
      e.count++;
      byLabel.set(s.label, e);
    }
    const total = profile.steps.reduce((a, s) => a + s.milliseconds, 0);
    const mo = median(oursMs);
    const mr = median(ortMs);
    const lines = [
      `Swin-T ${size}x${size}, batch ${batch}, random weights (seed ${seed}); headless Chromium ${browser.context.browser()?.version() ?? ''}, adapter: ${info.adapter}.`,
      '',
      `| | median of ${runs} (ms) | runs (ms) |`,
      '| --- | ---: | --- |',
      `| @swin/backend-webgpu (${info.tiling} tiling) | ${mo.toFixed(0)} | ${oursMs.map((x) => x.toFixed(0)).join(', ')} |`,
      `| onnxruntime-web 1.30 WebGPU EP, our exported ONNX | ${mr.toFixed(0)} | ${ortMs.map((x) => x.toFixed(0)).join(', ')} |`,
      '',
      `Ratio ours / onnxruntime-web: **${(mo / mr).toFixed(2)}x** (goal <= 1.0). Logits agree to ${diff.toExponential(1)}.`,
      '',
      `Per-kernel time in one profiled run of ours (${profile.method === 'timestamp-query' ? 'GPU timestamp queries, one pass per step' : 'one submit per step, wall clock'}; total ${total.toFixed(0)} ms):`,
      '',
      '| kernel | steps | ms | share |',
      '| --- | ---: | ---: | ---: |',
      ...[...byLabel].sort((a, b) => b[1].ms - a[1].ms).map(([label, e]) => `| ${label} | ${e.count} | ${e.ms.toFixed(0)} | ${((100 * e.ms) / total).toFixed(1)}% |`),
    ];
    console.log('\n' + lines.join('\n'));
    const warnings = consoleLines.filter((l) => /^(warning|error)/.test(l));
    if (warnings.length) console.log(`\npage warnings/errors (${warnings.length}):\n${warnings.slice(0, 20).join('\n')}`);
    if (writeReadme) {
      const readme = readFileSync(readmePath, 'utf8');
      const start = '<!-- bench:start -->';
      const end = '<!-- bench:end -->';
      const block = `${start}\nMeasured ${new Date().toISOString().slice(0, 10)} with \`pnpm --filter @swin/web bench:webgpu -- --runs ${runs}${writeReadme ? ' --write-readme' : ''}\`:\n\n${lines.join('\n')}\n${end}`;
      const i = readme.indexOf(start);
      const j = readme.indexOf(end);
      writeFileSync(readmePath, i >= 0 && j > i ? readme.slice(0, i) + block + readme.slice(j + end.length) : `${readme}\n${block}\n`);
      console.log('README.md updated');
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
