import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensorsBytes, type TensorData } from '@swin/core';
import { loadTensorWeights, readCheckpoint } from '../src/index.js';
import { convertCheckpointFile, readWeightsFile } from '../src/node/index.js';
import { findPython } from './helpers/find-python.js';
import { FIXTURES, REPO } from './helpers/fixtures.js';
import { thrownSwinError } from './helpers/thrown.js';

// torchvision's Swin V2 (swin_v2_t/s/b blocks) as torch.save wrote it: one 3C qkv.bias whose key
// third torchvision zeroes at run time, flattened relative_position_index buffers, its
// relative_coords_table, PatchMergingV2. Made by tools/reference/make_torchvision_v2_fixtures.py;
// the outputs of the same fixture are checked on every backend by @swin/conformance.

const dir = join(FIXTURES, 'v2_torchvision_256_w8');
const pth = join(dir, 'torchvision.pth');

describe("torchvision's Swin V2 state dict", () => {
  it('maps to the official names: the same tensors and config as the fixture', () => {
    const loaded = readWeightsFile(pth);
    expect(loaded.scheme).toBe('torchvision');
    expect(loaded.family).toBe('swin_v2');
    const { family, ...config } = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(family).toBe('swin_v2');
    // window 8 from the relative_position_index buffers, 256 (its released pairing), torchvision's window rule.
    expect({ ...loaded.config }).toEqual({ family: 'swin_v2', layer_norm_eps: 1e-5, ...config });
    // 8 blocks x (relative_position_index + relative_coords_table), each checked against its recomputation.
    expect(loaded.droppedBuffers).toHaveLength(16);
    expect(loaded.warnings).toEqual([expect.stringMatching(/'attn\.qkv\.bias' of 8 blocks: the key third .* is dropped/)]);
    const expected = readSafetensorsBytes(new Uint8Array(readFileSync(join(dir, 'weights.safetensors')))).tensors;
    expect([...loaded.weights.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, t] of expected) {
      const got = loaded.weights.get(name)!;
      expect(got.shape, name).toEqual(t.shape);
      expect(Buffer.from((got.data as Float32Array).buffer, (got.data as Float32Array).byteOffset, got.data.byteLength).equals(Buffer.from((t.data as Float32Array).buffer, (t.data as Float32Array).byteOffset, t.data.byteLength)), name).toBe(true);
    }
  });

  it('a name it does not map is an error naming it, never a warning', () => {
    const tensors = new Map<string, TensorData>(readCheckpoint(new Uint8Array(readFileSync(pth))).tensors);
    tensors.set('features.1.0.attn.extra_gate', tensors.get('features.1.0.attn.logit_scale')!);
    const error = thrownSwinError(() => loadTensorWeights(tensors));
    expect(error.code).toBe('UNEXPECTED_WEIGHT');
    expect(error.message).toMatch(/'layers\.0\.blocks\.0\.attn\.extra_gate'/);
  });
});

describe('swin convert --scheme torchvision', () => {
  const out = mkdtempSync(join(tmpdir(), 'swin-to-tv-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  // torchvision itself loads the file with load_state_dict(strict=True) and runs the fixture's input.
  // The torchvision fixtures (V2, V1) keep their window rule (from the file's config), which lets them
  // through at sizes where the official rule would differ from torchvision's (192x320, 112x192).
  for (const fixture of ['v2_torchvision_192x320_w8', 'v2_rand_pws_t32_w4', 'v1_torchvision_112x192_w7']) {
    it(`${fixture}: torchvision loads it strict and gives the fixture's logits`, { timeout: 120_000 }, async () => {
      const file = join(out, `${fixture}.safetensors`);
      const result = await convertCheckpointFile(join(FIXTURES, fixture, 'weights.safetensors'), file, { outputScheme: 'torchvision' });
      expect(result.metadata['scheme']).toBe('torchvision');
      const script = join(REPO, 'tools/reference/check_torchvision_export.py');
      const report = JSON.parse(execFileSync(findPython(), [script, file, join(FIXTURES, fixture)], { encoding: 'utf8' })) as { max_abs_logits_f64: number };
      // float64 in torchvision vs our float64 fixture: equal up to the V2 logit-scale clamp's rounding.
      expect(report.max_abs_logits_f64).toBeLessThan(1e-6);
      // And it reads back as the same model.
      const back = readWeightsFile(file);
      expect(back.scheme).toBe('torchvision');
      const source = JSON.parse(readFileSync(join(FIXTURES, fixture, 'config.json'), 'utf8')) as { window_rule?: string };
      expect((back.config as { window_rule?: string }).window_rule).toBe(source.window_rule ?? 'official');
      expect(back.warnings.filter((w) => !/key third/.test(w))).toEqual([]);
    });
  }

  it('refuses by name what torchvision cannot compute the same way; nothing is written', async () => {
    const cases: [string, RegExp][] = [
      ['v1_rand_rect_32x64_w4', /config\.window_size: .*stage 1 is 4x8 .* window 4, shift \[0, 0\] and torchvision would use window 4, shift \[0, 2\]/],
      ['v2_rand_pad_odd_rect_36x52_w4_ape_noqkvbias', /config\.ape: torchvision's SwinTransformer needs false/],
      ['cf_official_t32', /torchvision's SwinTransformer needs one square window/],
    ];
    for (const [fixture, message] of cases) {
      const file = join(out, `${fixture}.safetensors`);
      await expect(convertCheckpointFile(join(FIXTURES, fixture, 'weights.safetensors'), file, { outputScheme: 'torchvision' })).rejects.toThrow(message);
      expect(existsSync(file)).toBe(false);
    }
  });
});
