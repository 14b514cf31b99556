import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { familyOf, readSafetensorsBytes, type ModelConfig } from '@swin/core';
import { readWeightsFile } from '../src/node/index.js';
import { FIXTURES, inputTensor, maxAbsDiff, readNpy, runReference } from './helpers/fixtures.js';

// torchvision's Swin V1 (the blocks of swin_t/s/b) at 112x192, where its window rule differs from
// the official one on the last two stages. Made by tools/reference/make_torchvision_v1_fixture.py;
// every backend runs the same fixture in @swin/conformance.

const dir = join(FIXTURES, 'v1_torchvision_112x192_w7');

describe("torchvision's Swin V1 state dict", () => {
  const loaded = readWeightsFile(join(dir, 'torchvision.pth'));
  const input = inputTensor(join(dir, 'input.npy'));
  const logits = readNpy(join(dir, 'logits_f64.npy')).data as Float64Array;
  const run = (config: ModelConfig) => runReference(config, loaded.weights, input);

  it("maps to the fixture's tensors and gets torchvision's window rule", () => {
    expect(loaded.scheme).toBe('torchvision');
    expect(loaded.config).toMatchObject({ family: 'swin_v1', window_size: 7, window_rule: 'torchvision' });
    const expected = readSafetensorsBytes(new Uint8Array(readFileSync(join(dir, 'weights.safetensors')))).tensors;
    expect([...loaded.weights.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, t] of expected) expect(maxAbsDiff(loaded.weights.get(name)!.data as Float32Array, t.data as Float32Array), name).toBe(0);
  });

  it('gives torchvision\'s logits at 112x192; the official rule would not', async () => {
    const tv = await run(loaded.config);
    expect(maxAbsDiff(tv.data as Float32Array, logits)).toBeLessThan(1e-6);
    // The official rule on the same weights: no shift along W at 7x12, window 4 (tables cropped) at 4x6.
    const official = await run(familyOf(loaded.config).merge(loaded.config, { window_rule: 'official' }));
    expect(maxAbsDiff(official.data as Float32Array, logits)).toBeGreaterThan(1e-3);
  });
});
