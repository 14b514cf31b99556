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
