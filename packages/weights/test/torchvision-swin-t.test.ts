import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS, memoryByteSource, readSafetensors } from '../src/index.js';
import { convertCheckpointFile, readWeightsFile } from '../src/node/index.js';
import { inputTensor, maxAbsDiff, readNpy, REPO, runReference } from './helpers/fixtures.js';
import { readFileSync } from 'node:fs';
import { findPython } from './helpers/find-python.js';

// A full-size Swin-T saved by real PyTorch (torchvision's swin_t with its own random init), made at
// test time by tools/reference/torchvision_swin_t.py. This must run in CI, which installs Debian's
// python3-torch; without it the test fails and says what to install rather than skipping.

describe('torchvision swin_t saved by PyTorch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swin-tv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads, converts, and matches PyTorch logits', { timeout: 900_000 }, async () => {
    const python = findPython();
    execFileSync(python, [join(REPO, 'tools/reference/torchvision_swin_t.py'), '--out', dir, '--seed', '0'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const pth = join(dir, 'swin_t_torchvision.pth');
    expect(existsSync(pth)).toBe(true);

    const loaded = readWeightsFile(pth);
    expect(loaded.format).toBe('pytorch-zip');
    expect(loaded.scheme).toBe('torchvision');
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config).toMatchObject({ img_size: 224, embed_dim: 96, depths: [2, 2, 6, 2], num_heads: [3, 6, 12, 24], window_size: 7, num_classes: 1000 });
    // relative_position_index of all 12 blocks checked against the recomputed ones and dropped.
    expect(loaded.droppedBuffers.length).toBe(12);

    const logits = await runReference(loaded.config!, loaded.weights, inputTensor(join(dir, 'input.npy')));
    const expected = readNpy(join(dir, 'logits_f64.npy'));
    const err = maxAbsDiff(logits.data as Float32Array, expected.data as Float64Array);
    console.log(`torchvision swin_t: max |logits - PyTorch float64| = ${err.toExponential(2)} over ${expected.data.length} logits`);
    expect(err).toBeLessThan(1e-4);

    // The streaming converter writes the same tensors.
    const out = join(dir, 'swin_t.safetensors');
    const result = await convertCheckpointFile(pth, out);
    expect(result.scheme).toBe('torchvision');
    const converted = readSafetensors(memoryByteSource(new Uint8Array(readFileSync(out))), DEFAULT_READ_LIMITS);
    expect([...converted.tensors.keys()]).toEqual([...loaded.weights.keys()]);
    for (const [name, t] of converted.tensors) expect(t.load().data).toEqual(loaded.weights.get(name)!.data);
  });
});
