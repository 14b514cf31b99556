// Dawn (the `webgpu` package) crashes or hangs once V8's optimizing tiers compile the hot JS that
// drives it, unless node runs with --max-opt=2. These helpers check for the flag and start node
// processes that have it, with the environment Dawn needs to find a software adapter.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Node flags a process that uses Dawn must start with. */
export const DAWN_NODE_FLAGS: readonly string[] = ['--max-opt=2'];

/** SwiftShader's Vulkan ICD as the Debian chromium package installs it. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

function maxOptOf(args: readonly string[]): number | undefined {
  let found: number | undefined;
  for (const a of args) {
    const m = /^--max-opt=(\d+)$/.exec(a);
    if (m) found = Number(m[1]);
    if (a === '--jitless') found = 0;
  }
  return found;
}

/** True when this process runs with V8 optimization capped at level 2 or below (flag or NODE_OPTIONS). */
export function isDawnSafeProcess(): boolean {
  const fromArgs = maxOptOf(process.execArgv);
  const fromEnv = maxOptOf((process.env['NODE_OPTIONS'] ?? '').split(/\s+/));
  const level = fromArgs ?? fromEnv;
  return level !== undefined && level <= 2;
}

/**
 * Environment for a Dawn process: SwiftShader's Vulkan ICD as a fallback adapter when present
 * (Dawn rejects Mesa's lavapipe), and a surfaceless EGL platform for the GL ES fallback.
 * Variables already set win.
 */
export function dawnEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = { ...base };
  env['EGL_PLATFORM'] ??= 'surfaceless';
  return env;
}

/**
 * For CLIs: when this process lacks the Dawn flags, runs the same command again in a child node
 * that has them (stdio inherited) and exits with its code; otherwise returns so the caller goes on.
 */
export function relaunchWithDawnFlags(): void {
  if (isDawnSafeProcess()) return;
  const args = [...DAWN_NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: dawnEnvironment() });
  if (r.error) throw r.error;
  process.exit(r.status ?? (r.signal ? 1 : 0));
}

/** What a child Dawn process printed and how it ended. */
export interface DawnProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a node script (ESM path) with the Dawn flags and environment; resolves when it exits. */
export function runInDawnProcess(
  script: string,
  args: readonly string[] = [],
  options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string; readonly timeoutMs?: number; readonly echo?: boolean } = {},
): Promise<DawnProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...DAWN_NODE_FLAGS, script, ...args], {
      env: dawnEnvironment(options.env ?? process.env),
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (options.echo) process.stdout.write(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (options.echo) process.stderr.write(d);
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** True when SwiftShader's Vulkan ICD from the chromium package is installed. */
export function hasSwiftShaderIcd(): boolean {
  return existsSync(SWIFTSHADER_ICD);
}
