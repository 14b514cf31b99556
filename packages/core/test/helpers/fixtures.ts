// Test-only access to the committed fixtures (core cannot depend on @swin/weights, which depends on it).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNpy, readSafetensorsBytes, tensor, type NpyArray, type TensorData } from '../../src/index.js';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures');

/** Our own fixtures: directories holding weights.safetensors. */
export function listSafetensorsFixtures(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((d) => existsSync(join(FIXTURES_DIR, d, 'weights.safetensors')))
    .sort();
}

/** A fixture's safetensors, whole (core's own parser; every fixture weight is float32). */
export function readSafetensorsF32(path: string): { tensors: Map<string, TensorData>; metadata: Record<string, string> } {
  return readSafetensorsBytes(new Uint8Array(readFileSync(path)));
}

export function readNpy(path: string): NpyArray {
  return parseNpy(new Uint8Array(readFileSync(path)));
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Max abs and max relative (|d| / max(|ref|, 1e-6)... over the tensor's scale) error. */
export function compare(actual: ArrayLike<number>, expected: ArrayLike<number>): { maxAbs: number; maxRel: number } {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) maxAbs = Math.max(maxAbs, Math.abs(actual[i]! - expected[i]!));
  return { maxAbs, maxRel: maxAbs / Math.max(scale, 1e-12) };
}
