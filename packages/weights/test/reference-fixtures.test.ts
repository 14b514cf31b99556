import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWeights } from '../src/index.js';
import { readWeightsFile } from '../src/node/index.js';
import { FIXTURES, fixturePath, inputTensor, maxAbsDiff, OFFICIAL, readFixture, readNpy, runReference, SCHEMES } from './helpers/fixtures.js';

// The official-code fixtures (zip and legacy .pth) must load and reproduce PyTorch's float64 logits.
const officialV1 = readdirSync(OFFICIAL).filter((d) => d.startsWith('swin_v1_') && existsSync(join(OFFICIAL, d, 'input.npy')));
const otherFamilies = readdirSync(OFFICIAL).filter((d) => /^(swin_v2|crossformer)_/.test(d) && existsSync(join(OFFICIAL, d, 'checkpoint.pth')));

describe('official reference checkpoints run within 1e-5 of PyTorch float64', () => {
  const has = (...parts: string[]) => {
    try {
      return fixturePath(...parts) !== '';
    } catch {
      return false;
    }
  };
  const cases = officialV1.flatMap((d) => ['checkpoint.pth', 'checkpoint_legacy.pth'].filter((c) => has('official', d, c)).map((c) => [d, c] as const));
  it('covers every V1 fixture and the legacy file', () => {
    expect(officialV1.length).toBeGreaterThanOrEqual(4);
    expect(cases.some(([, c]) => c === 'checkpoint_legacy.pth')).toBe(true);
  });
  it.each(cases)('%s/%s', async (dir, file) => {
    const loaded = readWeightsFile(fixturePath('official', dir, file));
    expect(loaded.scheme).toBe('official');
    expect(loaded.format).toBe(file.includes('legacy') ? 'pytorch-legacy' : 'pytorch-zip');
    expect(loaded.warnings).toEqual([]);
    expect(loaded.droppedBuffers.some((n) => n.endsWith('relative_position_index'))).toBe(true);
    const logits = await runReference(loaded.config!, loaded.weights, inputTensor(fixturePath('official', dir, 'input.npy')));
    const expected = readNpy(fixturePath('official', dir, 'logits_f64.npy'));
    const err = maxAbsDiff(logits.data as Float32Array, expected.data as Float64Array);
    console.log(`${dir}/${file}: max |logits - logits_f64| = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
  });
});

describe('Swin V2 and CrossFormer official checkpoints load with their family config', () => {
  const manifest = JSON.parse(readFileSync(fixturePath('official', 'manifest.json'), 'utf8')) as { fixtures: { dir: string; config: Record<string, unknown> }[] };
  it.each(otherFamilies)('%s', async (dir) => {
    // CrossFormer's group sizes and intervals are not in its parameters: the manifest gives them.
    const config = manifest.fixtures.find((f) => f.dir === dir)!.config;
    const loaded = readWeightsFile(fixturePath('official', dir, 'checkpoint.pth'), { config });
    expect(loaded.family).toBe(dir.startsWith('swin_v2') ? 'swin_v2' : 'crossformer');
    expect(loaded.config.family).toBe(loaded.family);
    expect(loaded.warnings).toEqual([]);
    const logits = await runReference(loaded.config, loaded.weights, inputTensor(fixturePath('official', dir, 'input.npy')));
    const expected = readNpy(fixturePath('official', dir, 'logits_f64.npy'));
    const err = maxAbsDiff(logits.data as Float32Array, expected.data as Float64Array);
    console.log(`${dir}: max |logits - logits_f64| = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-4);
  });
});

describe('every scheme file runs like the canonical weights (randomized fixture)', () => {
  const files = ['official.pth', 'official_legacy.pth', 'state_dict_module_prefix.pth', 'torchvision.pth', 'timm_new.pth', 'hf_pytorch_model.bin', 'hf_model.safetensors', 'views.pth'];
  it.each(files)('%s', async (file) => {
    const loaded = loadWeights(readFixture('schemes', file));
    const logits = await runReference(loaded.config!, loaded.weights, inputTensor(join(FIXTURES, 'v1_rand_t32_w4', 'input.npy')));
    const expected = readNpy(join(FIXTURES, 'v1_rand_t32_w4', 'logits_f64.npy'));
    const err = maxAbsDiff(logits.data as Float32Array, expected.data as Float64Array);
    console.log(`${file}: max |logits - logits_f64| = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-4);
  });
  it('has the scheme fixtures', () => {
    expect(existsSync(join(SCHEMES, 'canonical.safetensors'))).toBe(true);
  });
});
