#!/usr/bin/env node
// Bundles the TypeScript benchmark for Node with esbuild (it shares backend-webgpu's Chromium test
// helpers) and runs it. Usage: pnpm --filter @swin/web bench:webgpu -- [--runs N] [--write-readme]
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
// Inside the package's node_modules so the external imports resolve to this package's dependencies.
const dir = join(here, '..', 'node_modules', '.cache', 'swin-webgpu-bench');
mkdirSync(dir, { recursive: true });
const out = join(dir, 'bench.mjs');
process.env.SWIN_BENCH_PACKAGE_DIR = join(here, '..');
try {
  await build({ entryPoints: [join(here, 'webgpu-vs-ort.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out, packages: 'external', logLevel: 'warning' });
  await import(pathToFileURL(out).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
