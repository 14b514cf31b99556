// Reads the committed PyTorch fixtures (fixtures/<name>/): config.json, weights.safetensors
// (u64 LE header length, JSON header, raw little-endian data), input.npy and <output>_f64.npy.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeSwinConfig, npyToTensor, parseNpy, SWIN_V1_DEFAULTS, tensor, type NpyArray, type SwinV1Config, type TensorData } from '@swin/core';

export const FIXTURES_DIR = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

/** Names of the Swin V1 fixture folders (those with weights.safetensors and a swin_v1 config). */
export function swinV1FixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((d) => existsSync(join(FIXTURES_DIR, d, 'weights.safetensors')) && existsSync(join(FIXTURES_DIR, d, 'config.json')))
    .filter((d) => (JSON.parse(readFileSync(join(FIXTURES_DIR, d, 'config.json'), 'utf8')) as { family?: string }).family === 'swin_v1')
    .sort();
}

/** Parses the simple safetensors layout (F32/F16/I64/I32 tensors). */
export function readSafetensors(bytes: Uint8Array): Map<string, TensorData> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const base = 8 + headerLength;
  const out = new Map<string, TensorData>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [from, to] = entry.data_offsets;
    const raw = bytes.slice(base + from, base + to).buffer;
    if (entry.dtype === 'F32') out.set(name, tensor('float32', entry.shape, new Float32Array(raw)));
    else if (entry.dtype === 'F16') out.set(name, tensor('float16', entry.shape, new Uint16Array(raw)));
    else if (entry.dtype === 'I32') out.set(name, tensor('int32', entry.shape, new Int32Array(raw)));
    else if (entry.dtype === 'I64') out.set(name, tensor('int64', entry.shape, new BigInt64Array(raw)));
    else throw new Error(`fixture tensor '${name}' has dtype ${entry.dtype}`);
  }
  return out;
}

/** A loaded fixture: config, weights, input, and the float64 reference outputs by name. */
export interface SwinFixture {
  readonly name: string;
  readonly config: SwinV1Config;
  readonly weights: Map<string, TensorData>;
  readonly input: TensorData;
  readonly expected: Map<string, NpyArray>;
}

/** Loads fixtures/<name>. */
export function loadFixture(name: string): SwinFixture {
  const dir = join(FIXTURES_DIR, name);
  const raw = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  const config = mergeSwinConfig(SWIN_V1_DEFAULTS, raw);
  const weights = readSafetensors(new Uint8Array(readFileSync(join(dir, 'weights.safetensors'))));
  const input = npyToTensor(parseNpy(new Uint8Array(readFileSync(join(dir, 'input.npy')))));
  const expected = new Map<string, NpyArray>();
  for (const f of readdirSync(dir)) {
    const m = /^(.+)_f64\.npy$/.exec(f);
    if (m) expected.set(m[1]!, parseNpy(new Uint8Array(readFileSync(join(dir, f)))));
  }
  return { name, config, weights, input, expected };
}
