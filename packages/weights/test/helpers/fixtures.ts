import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModelGraph, createReferenceBackend, npyToTensor, parseNpy, type ModelConfig, type NpyArray, type TensorData } from '@swin/core';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (tests run from packages/weights). */
export const REPO = resolve(here, '../../../..');
export const FIXTURES = join(REPO, 'fixtures');
export const SCHEMES = join(FIXTURES, 'schemes');
export const OFFICIAL = join(FIXTURES, 'official');
/** The shared reference fixtures fixtures/official copies; used when the copy lacks a file. */
export const SHARED_REFERENCE = '/work/shared/reference';

/** A fixture file, from fixtures/ or (for official ones) the shared reference directory. */
export function fixturePath(...parts: string[]): string {
  const p = join(FIXTURES, ...parts);
  if (existsSync(p)) return p;
  if (parts[0] === 'official') {
    const shared = join(SHARED_REFERENCE, ...parts.slice(1));
    if (existsSync(shared)) return shared;
  }
  throw new Error(`fixture ${p} is missing`);
}

export function readFixture(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(...parts)));
}

export function readNpy(path: string): NpyArray {
  return parseNpy(new Uint8Array(readFileSync(path)));
}

/** Runs a model on the reference backend and returns its logits (or pooled features without a head). */
export async function runReference(config: ModelConfig, weights: ReadonlyMap<string, TensorData>, input: TensorData): Promise<TensorData> {
  const model = buildModelGraph(config, weights, { inputSize: [input.shape[2]!, input.shape[3]!], batch: input.shape[0]! });
  const backend = createReferenceBackend();
  const exe = await backend.compile(model.graph);
  try {
    const out = await exe.run({ input });
    return Object.values(out)[0]!;
  } finally {
    exe.dispose();
    await backend.dispose();
  }
}

export function inputTensor(path: string): TensorData {
  return npyToTensor(readNpy(path));
}

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
