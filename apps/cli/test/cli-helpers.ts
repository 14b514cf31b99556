import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI = join(ROOT, 'apps/cli/dist/main.js');
export const FIXTURES = join(ROOT, 'fixtures');

/** Runs the built CLI; returns exit code and output. */
export function swin(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'swin-cli-'));
}

/** Files in a directory (to check that a failure left nothing behind, temp files included). */
export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}
