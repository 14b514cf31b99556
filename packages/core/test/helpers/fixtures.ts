// Test-only access to the committed fixtures (core cannot depend on @swin/weights, which depends on it).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNpy, tensor, type NpyArray, type TensorData } from '../../src/index.js';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures');

/** Our own fixtures: directories holding weights.safetensors. */
export function listSafetensorsFixtures(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((d) => existsSync(join(FIXTURES_DIR, d, 'weights.safetensors')))
    .sort();
}

/** Minimal float32 safetensors parse for tests. */
export function readSafetensorsF32(path: string): { tensors: Map<string, TensorData>; metadata: Record<string, string> } {
  const bytes = readFileSync(path);
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const tensors = new Map<string, TensorData>();
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = info as unknown as Record<string, string>;
      continue;
    }
    if (info.dtype !== 'F32') throw new Error(`test helper reads F32 only, ${name} is ${info.dtype}`);
    const [a, b] = info.data_offsets;
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 8 + n + a, bytes.byteOffset + 8 + n + b));
    tensors.set(name, tensor('float32', info.shape, data));
  }
  return { tensors, metadata };
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
