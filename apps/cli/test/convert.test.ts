import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpointFile, readWeightsFile } from '@swin/weights/node';
import { describe, expect, it } from 'vitest';
import { FIXTURES, filesIn, swin, tempDir } from './cli-helpers.js';

const SCHEMES = join(FIXTURES, 'schemes');

describe('swin convert', () => {
  it('turns every scheme into the same canonical tensors', () => {
    const canonical = readWeightsFile(join(SCHEMES, 'canonical.safetensors')).weights;
    for (const file of ['official.pth', 'official_legacy.pth', 'torchvision.pth', 'timm_new.pth', 'hf_pytorch_model.bin', 'hf_model.safetensors', 'state_dict_module_prefix.pth', 'views.pth']) {
      const out = join(tempDir(), 'w.safetensors');
      const r = swin(['convert', join(SCHEMES, file), '-o', out]);
      expect(r.code, `${file}: ${r.stderr}`).toBe(0);
      const got = readWeightsFile(out).weights;
      expect([...got.keys()].sort(), file).toEqual([...canonical.keys()].sort());
      for (const [name, t] of canonical) expect(Array.from(got.get(name)!.data as Float32Array), `${file} ${name}`).toEqual(Array.from(t.data as Float32Array));
    }
  });

  it('writes float16 and records the architecture in the metadata', () => {
    const out = join(tempDir(), 'w.safetensors');
    expect(swin(['convert', join(SCHEMES, 'official.pth'), '-o', out, '--dtype', 'f16']).code).toBe(0);
    // Stored as float16 in the file; loading for running widens it to float32.
    expect([...readCheckpointFile(out).tensors.values()].every((t) => t.dtype === 'float16')).toBe(true);
    const loaded = readWeightsFile(out);
    expect([...loaded.weights.values()].every((t) => t.dtype === 'float32')).toBe(true);
    expect(JSON.parse(loaded.metadata['config']!)).toMatchObject({ embed_dim: 16, window_size: 4 });
  });

  it('refuses a pickle naming os.system, leaving no output file', () => {
    const dir = tempDir();
    // protocol 2: GLOBAL 'os system', a string argument, TUPLE1, REDUCE, STOP
    const pickle = Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from('cos\nsystem\n'), Buffer.from([0x58, 4, 0, 0, 0]), Buffer.from('echo'), Buffer.from([0x85, 0x52, 0x2e])]);
    writeFileSync(join(dir, 'evil.pth'), pickle);
    const outDir = tempDir();
    const r = swin(['convert', join(dir, 'evil.pth'), '-o', join(outDir, 'w.safetensors')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/os\.system/);
    expect(filesIn(outDir)).toEqual([]);
  });

  it('rejects a truncated checkpoint with a typed error and no output', () => {
    const dir = tempDir();
    const bytes = readFileSync(join(SCHEMES, 'official.pth'));
    writeFileSync(join(dir, 'cut.pth'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const outDir = tempDir();
    const r = swin(['convert', join(dir, 'cut.pth'), '-o', join(outDir, 'w.safetensors')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/swin: error \[(INVALID_FORMAT|LIMIT_EXCEEDED)\]/);
    expect(filesIn(outDir)).toEqual([]);
  });

  it('checks its flags', () => {
    expect(swin(['convert', join(SCHEMES, 'official.pth'), '-o', '/tmp/x.bin']).code).toBe(2);
    expect(swin(['convert', join(SCHEMES, 'official.pth'), '-o', '/tmp/x.safetensors', '--dtype', 'f8']).code).toBe(2);
    const bad = swin(['convert', join(SCHEMES, 'official.pth'), '-o', '/tmp/x.safetensors', '--scheme', 'timm']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--scheme: expected official or torchvision, found 'timm'/);
  });

  it('--scheme torchvision writes torchvision names that read back as the same model', () => {
    const dir = tempDir();
    const tv = join(FIXTURES, 'v2_torchvision_256_w8', 'torchvision.pth');
    const r = swin(['convert', tv, '-o', join(dir, 'tv.safetensors'), '--scheme', 'torchvision']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/torchvision names/);
    const names = [...readCheckpointFile(join(dir, 'tv.safetensors')).tensors.keys()];
    expect(names).toContain('features.1.0.attn.qkv.bias');
    expect(names).toContain('features.1.0.attn.relative_coords_table');
    const a = readWeightsFile(tv);
    const b = readWeightsFile(join(dir, 'tv.safetensors'));
    expect(b.config).toEqual(a.config);
    for (const [name, t] of a.weights) expect(Array.from(b.weights.get(name)!.data as Float32Array), name).toEqual(Array.from(t.data as Float32Array));
  });
});
