import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNpy, serializeNpy, tensor } from '@swin/core';
import { readWeightsFile } from '@swin/weights/node';
import { writeSafetensors } from '@swin/weights';
import { describe, expect, it } from 'vitest';
import { FIXTURES, filesIn, swin, tempDir } from './cli-helpers.js';

const OFFICIAL = join(FIXTURES, 'official');

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('swin run', () => {
  for (const [dir, file] of [
    ['swin_v1_t32_w4_default', 'checkpoint.pth'],
    ['swin_v1_t32_w4_default', 'checkpoint_legacy.pth'],
    ['swin_v1_d2222_w2_64_default', 'checkpoint.pth'],
    ['swin_v1_ape_t32_w4_default', 'checkpoint.pth'],
    ['swin_v1_rect_32x64_w4_default', 'checkpoint.pth'],
  ] as const) {
    it(`${dir}/${file}: logits and pooled within 1e-5 of PyTorch float64`, () => {
      const out = tempDir();
      const r = swin(['run', '--weights', join(OFFICIAL, dir, file), '--input', join(OFFICIAL, dir, 'input.npy'), '--output', join(out, 'y.npz'), '--outputs', 'logits,pooled', '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).outputs.logits).toEqual([2, 10]);
      // Read the .npz back by its stored entries (uncompressed zip: each entry is an .npy).
      const zip = readFileSync(join(out, 'y.npz'));
      for (const name of ['logits', 'pooled']) {
        const at = zip.indexOf(Buffer.from(`${name}.npy`));
        const body = zip.subarray(at + name.length + 4);
        const end = body.indexOf(Buffer.from('PK\x03\x04')) >= 0 ? body.indexOf(Buffer.from('PK\x03\x04')) : body.indexOf(Buffer.from('PK\x01\x02'));
        const got = parseNpy(new Uint8Array(body.subarray(0, end)));
        const want = parseNpy(new Uint8Array(readFileSync(join(OFFICIAL, dir, `${name}_f64.npy`))));
        const err = maxAbs(got.data as Float32Array, want.data as Float64Array);
        expect(err, `${name}`).toBeLessThanOrEqual(1e-5);
      }
    });
  }

  it('prints top logits and writes a single .npy', () => {
    const out = tempDir();
    const r = swin(['run', '--weights', join(FIXTURES, 'v1_rand_t32_w4/weights.safetensors'), '--input', join(FIXTURES, 'v1_rand_t32_w4/input.npy'), '--output', join(out, 'logits.npy')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/image 1 top-5 logits: \d+:-?\d/);
    const got = parseNpy(new Uint8Array(readFileSync(join(out, 'logits.npy'))));
    const want = parseNpy(new Uint8Array(readFileSync(join(FIXTURES, 'v1_rand_t32_w4/logits_f64.npy'))));
    expect(maxAbs(got.data as Float32Array, want.data as Float64Array)).toBeLessThanOrEqual(1e-5);
  });
});

describe('swin run: bad input gives one line, exit != 0, and no output file', () => {
  const weights = join(FIXTURES, 'v1_rand_t32_w4/weights.safetensors');
  const input = join(FIXTURES, 'v1_rand_t32_w4/input.npy');

  function expectFailure(args: string[], pattern: RegExp, code = 1) {
    const out = tempDir();
    const r = swin([...args, '--output', join(out, 'y.npy')]);
    expect(r.code).toBe(code);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
    expect(filesIn(out)).toEqual([]);
  }

  it('missing weights file', () => expectFailure(['run', '--weights', '/nope/w.safetensors', '--input', input], /weights file not found: \/nope\/w\.safetensors/));
  it('missing input file', () => expectFailure(['run', '--weights', weights, '--input', '/nope/x.npy'], /ENOENT|no such file/));
  it('npy of the wrong dtype', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.npy'), serializeNpy(tensor('int32', [1, 3, 32, 32], new Int32Array(3 * 32 * 32))));
    expectFailure(['run', '--weights', weights, '--input', join(dir, 'x.npy')], /expected float32, found int32/);
  });
  it('npy of the wrong rank', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.npy'), serializeNpy(tensor('float32', [3, 32, 32], new Float32Array(3 * 32 * 32))));
    expectFailure(['run', '--weights', weights, '--input', join(dir, 'x.npy')], /expected rank 4 \[N, C, H, W\], found shape \(3, 32, 32\)/);
  });
  it('channel mismatch', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.npy'), serializeNpy(tensor('float32', [1, 4, 32, 32], new Float32Array(4 * 32 * 32))));
    expectFailure(['run', '--weights', weights, '--input', join(dir, 'x.npy')], /expected 3 channels \(dim 1\), found 4/);
  });
  it('a missing weight', () => {
    const dir = tempDir();
    const w = new Map(readWeightsFile(weights).weights);
    w.delete('layers.0.blocks.1.mlp.fc2.weight');
    writeFileSync(join(dir, 'w.safetensors'), writeSafetensors(w));
    expectFailure(['run', '--weights', join(dir, 'w.safetensors'), '--input', input], /MISSING_WEIGHT.*layers\.0\.blocks\.1\.mlp\.fc2\.weight.*expected shape \[16,64\]/);
  });
  it('a misshapen weight', () => {
    const dir = tempDir();
    const w = new Map(readWeightsFile(weights).weights);
    w.set('layers.1.blocks.0.norm2.bias', tensor('float32', [31], new Float32Array(31)));
    writeFileSync(join(dir, 'w.safetensors'), writeSafetensors(w));
    expectFailure(['run', '--weights', join(dir, 'w.safetensors'), '--input', input], /layers\.1\.blocks\.0\.norm2\.bias.*expected shape \[32\], found \[31\]/);
  });
  it('an unknown config key', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ windowsize: 7 }));
    expectFailure(['run', '--weights', weights, '--input', input, '--config', join(dir, 'c.json')], /UNKNOWN_CONFIG_KEY.*unknown config key 'windowsize'/);
  });
  it('a config that is not JSON', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.json'), '{ qk_scale: ');
    expectFailure(['run', '--weights', weights, '--input', input, '--config', join(dir, 'c.json')], /expected JSON/);
  });
  it('a checkpoint that is not one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'w.pth'), 'this is not a checkpoint');
    expectFailure(['run', '--weights', join(dir, 'w.pth'), '--input', input], /INVALID_FORMAT/);
  });
  it('an unknown backend, and unknown flags', () => {
    expectFailure(['run', '--weights', weights, '--input', input, '--backend', 'cuda'], /unknown backend 'cuda'/, 2);
    expectFailure(['run', '--weights', weights, '--input', input, '--bogus'], /Unknown option '--bogus'/, 2);
  });
  it('several outputs into an .npy', () => expectFailure(['run', '--weights', weights, '--input', input, '--outputs', 'stages'], /need an \.npz file/, 2));
});

describe('swin info', () => {
  it('shows the scheme, architecture, parameters and MACs', () => {
    const r = swin(['info', join(FIXTURES, 'schemes/torchvision.pth'), '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.scheme).toBe('torchvision');
    expect(info.format).toBe('pytorch-zip');
    expect(info.config).toMatchObject({ embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4 });
    expect(info.parameters).toBe(35648);
  });
  it('fails with one line on a missing file', () => {
    const r = swin(['info', '/nope.pth']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not found/);
  });
});
