#!/usr/bin/env node
// The README's two commands: `npm start` (the main job) and `npm test` (every test).
// Each sets itself up on a fresh machine that has only Node 20 and npm: pnpm comes from Node's
// bundled corepack (pinned in package.json), system packages the tests need come from apt.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// turbo looks for a `pnpm` binary on PATH; corepack provides one only after `corepack enable`
// (which writes into Node's install directory). A two-line shim in the repo does the same.
const shimDir = join(root, '.cache', 'bin');
mkdirSync(shimDir, { recursive: true });
writeFileSync(join(shimDir, 'pnpm'), '#!/bin/sh\nexec corepack pnpm "$@"\n');
chmodSync(join(shimDir, 'pnpm'), 0o755);

const env = {
  ...process.env,
  PATH: `${shimDir}${delimiter}${process.env.PATH ?? ''}`,
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
  COREPACK_ENABLE_STRICT: '0',
  TURBO_TELEMETRY_DISABLED: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
  ONNXRUNTIME_NODE_INSTALL: 'skip',
  ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip',
};

function run(cmd, args, options = {}) {
  console.error(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit', ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function pnpm(...args) {
  run('corepack', ['pnpm', ...args]);
}

/** Debian packages the tests use: PyTorch for reference outputs, Chromium for the browser tests. */
const APT_PACKAGES = [
  { pkg: 'python3-torch', check: () => spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0 },
  { pkg: 'python3-torchvision', check: () => spawnSync('/usr/bin/python3', ['-c', 'import torchvision'], { stdio: 'ignore' }).status === 0 },
  { pkg: 'chromium', check: () => existsSync('/usr/bin/chromium') },
];

function ensureSystemPackages() {
  const missing = APT_PACKAGES.filter((p) => !p.check()).map((p) => p.pkg);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`The tests need these Debian packages: ${missing.join(' ')}.\nInstall them with: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  run('apt-get', ['update', '-q']);
  run('apt-get', ['install', '-y', '-q', ...missing], { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const mode = process.argv[2];
pnpm('install', '--frozen-lockfile');
if (mode === 'main') {
  pnpm('exec', 'turbo', 'run', 'build', '--filter=@swin/cli...', '--output-logs=errors-only');
  // The main job: classify the sample pictures with the bundled default model, offline.
  const samples = readdirSync(join(root, 'examples'))
    .filter((f) => /\.(png|jpe?g|webp)$/i.test(f))
    .sort()
    .map((f) => join('examples', f));
  run(process.execPath, ['apps/cli/dist/main.js', 'classify', ...samples, '--top', '3']);
} else if (mode === 'test') {
  ensureSystemPackages();
  pnpm('exec', 'turbo', 'run', 'build', '--output-logs=errors-only');
  pnpm('exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only');
  pnpm('run', 'lint');
  pnpm('exec', 'turbo', 'run', 'test', '--concurrency=1');
} else {
  console.error('usage: node scripts/quickstart.mjs main|test');
  process.exit(2);
}
