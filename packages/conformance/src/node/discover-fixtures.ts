import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseNpy, readSafetensorsBytes, tensor, toFloat32, npyToTensor, type TensorData } from '@swin/core';
import type { ExpectedOutput, LoadedModelFixture, ModelFixture } from '../models/model-fixture.js';
import { readCheckpointWeights } from './checkpoint-weights.js';
import { findRepoRoot } from './repo-root.js';

function readNpyFile(path: string) {
  return parseNpy(new Uint8Array(readFileSync(path)));
}

function readInput(dir: string): TensorData {
  const t = npyToTensor(readNpyFile(join(dir, 'input.npy')));
  return t.dtype === 'float32' ? t : toFloat32(t);
}

/** Every NAME.npy / NAME_f64.npy pair in a fixture directory except the input, float64 preferred. */
function readExpected(dir: string): ExpectedOutput[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.npy') && f !== 'input.npy');
  const names = new Set(files.map((f) => f.replace(/(_f64)?\.npy$/, '')));
  const out: ExpectedOutput[] = [];
  for (const name of [...names].sort()) {
    const f64 = files.includes(`${name}_f64.npy`);
    const a = readNpyFile(join(dir, f64 ? `${name}_f64.npy` : `${name}.npy`));
    const data = a.dtype === 'float64' ? (a.data as Float64Array) : toFloat32(tensor(a.dtype as 'float32', a.shape, a.data as Float32Array)).data;
    out.push({ name, shape: a.shape, data, precision: a.dtype === 'float64' ? 'float64' : 'float32' });
  }
  return out;
}

/** Our own fixtures: `<fixtures>/<name>/weights.safetensors` + config.json + input.npy + outputs. */
function ownFixtures(fixturesDir: string): ModelFixture[] {
  return readdirSync(fixturesDir)
    .filter((d) => existsSync(join(fixturesDir, d, 'weights.safetensors')))
    .sort()
    .map((name) => {
      const dir = join(fixturesDir, name);
      const configPath = join(dir, 'config.json');
      const config = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>) : {};
      return {
        name,
        source: 'fixtures',
        family: typeof config['family'] === 'string' ? config['family'] : 'swin_v1',
        description: `fixtures/${name}`,
        async load(): Promise<LoadedModelFixture> {
          const { tensors } = readSafetensorsBytes(new Uint8Array(readFileSync(join(dir, 'weights.safetensors'))));
          return { config, weights: tensors, input: readInput(dir), expected: readExpected(dir) };
        },
      };
    });
}

interface OfficialManifest {
  fixtures: { name: string; dir: string; family: string; config: Record<string, unknown> }[];
}

/** The official-code fixtures: `<dir>/manifest.json` listing checkpoint.pth + .npy per fixture. */
function officialFixtures(officialDir: string, source: string): ModelFixture[] {
  const manifestPath = join(officialDir, 'manifest.json');
  if (!existsSync(manifestPath)) return [];
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as OfficialManifest;
  return manifest.fixtures.map((entry) => {
    const dir = join(officialDir, entry.dir);
    return {
      name: entry.name,
      source,
      family: entry.family,
      description: `${source}/${entry.dir}`,
      async load(): Promise<LoadedModelFixture> {
        const file = join(dir, 'checkpoint.pth');
        const weights = readCheckpointWeights(new Uint8Array(readFileSync(file)));
        return { config: { ...entry.config, family: entry.family }, weights, input: readInput(dir), expected: readExpected(dir) };
      },
    };
  });
}

/** Where to look for fixtures. */
export interface DiscoverFixturesOptions {
  /** Repository root (default: found from the working directory). */
  readonly root?: string;
  /** Fixture directory (default `<root>/fixtures`). */
  readonly fixturesDir?: string;
  /** Extra directories in the official layout (manifest.json + per-fixture folders), e.g. a shared copy. */
  readonly officialDirs?: readonly string[];
}

/**
 * Finds every fixture: each `fixtures/<name>/` with a weights.safetensors, plus `fixtures/official/*`
 * from its manifest (read with @swin/weights). Listing reads only directory names and small JSON files.
 */
export function discoverFixtures(options: DiscoverFixturesOptions = {}): ModelFixture[] {
  const root = options.root ?? findRepoRoot();
  const fixturesDir = options.fixturesDir ?? join(root, 'fixtures');
  const found: ModelFixture[] = [];
  if (existsSync(fixturesDir) && statSync(fixturesDir).isDirectory()) {
    found.push(...ownFixtures(fixturesDir));
    found.push(...officialFixtures(join(fixturesDir, 'official'), 'official'));
  }
  for (const dir of options.officialDirs ?? []) found.push(...officialFixtures(dir, 'official'));
  // The same fixture reachable twice (a shared copy and ours) is checked once.
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = `${f.source}/${f.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
