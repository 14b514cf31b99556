// Finds and reads the committed PyTorch fixtures (fixtures/<name>/: config.json,
// weights.safetensors, input.npy, <output>_f64.npy) for the Node tests and the page server.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FixtureFiles } from './fixture-check.js';

export const FIXTURES_DIR = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

/** Names of the Swin V1 fixture folders (weights.safetensors plus a swin_v1 config.json). */
export function swinV1FixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((d) => existsSync(join(FIXTURES_DIR, d, 'weights.safetensors')) && existsSync(join(FIXTURES_DIR, d, 'config.json')))
    .filter((d) => (JSON.parse(readFileSync(join(FIXTURES_DIR, d, 'config.json'), 'utf8')) as { family?: string }).family === 'swin_v1')
    .sort();
}

/** File names a fixture check needs: config, weights, input and the float64 outputs. */
export function fixtureFileNames(name: string): string[] {
  return readdirSync(join(FIXTURES_DIR, name)).filter((f) => f === 'config.json' || f === 'weights.safetensors' || f === 'input.npy' || f.endsWith('_f64.npy'));
}

/** Reads a fixture's files into memory. */
export function readFixtureFiles(name: string): FixtureFiles {
  return new Map(fixtureFileNames(name).map((f) => [f, new Uint8Array(readFileSync(join(FIXTURES_DIR, name, f)))]));
}

/** Every fixture folder with weights.safetensors (all families), with its family and file list, for the page. */
export function allFixtureListings(): Record<string, { family: string; files: string[] }> {
  const out: Record<string, { family: string; files: string[] }> = {};
  for (const d of readdirSync(FIXTURES_DIR).sort()) {
    const dir = join(FIXTURES_DIR, d);
    if (!existsSync(join(dir, 'weights.safetensors')) || !existsSync(join(dir, 'config.json'))) continue;
    const family = (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { family?: string }).family ?? 'swin_v1';
    out[d] = { family, files: readdirSync(dir) };
  }
  return out;
}
