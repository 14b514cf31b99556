import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNpy } from '@swin/core';
import { writeSafetensors } from '@swin/weights';
import { readWeightsFile } from '@swin/weights/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, swin, tempDir } from './cli-helpers.js';

// Weights as files hold them: float16 checkpoints run (computed in the backend's float32) on every
// backend; NaN / infinite weights are refused by the commands that load them unless
// --allow-non-finite, and reported by info.

const SCHEMES = join(FIXTURES, 'schemes');
const CASE = join(FIXTURES, 'v1_rand_t32_w4');
const INPUT = join(CASE, 'input.npy');

function logits(path: string): Float32Array {
  return parseNpy(readFileSync(path)).data as Float32Array;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('float16 checkpoints run on every backend', () => {
  const dir = tempDir();
  // The f16 weights widened to float32 (exact): what an f16 checkpoint must compute like.
  const widened = join(dir, 'widened.safetensors');
  const converted = join(dir, 'converted_f16.safetensors');
  beforeAll(() => {
    expect(swin(['convert', join(SCHEMES, 'canonical_fp16.safetensors'), '-o', widened, '--dtype', 'f32']).code).toBe(0);
    expect(swin(['convert', join(SCHEMES, 'canonical.safetensors'), '-o', converted, '--dtype', 'f16']).code).toBe(0);
  }, 120_000);

  for (const backend of ['reference', 'onnx', 'tfjs', 'webgpu']) {
    it(`${backend}: f16 files give the logits of their float32 widening`, { timeout: 600_000 }, () => {
      const run = (weights: string, name: string) => {
        const out = join(dir, `${backend}-${name}.npy`);
        const r = swin(['run', '--weights', weights, '--input', INPUT, '--output', out, '--backend', backend, '--json']);
        expect(r.code, `${name}: ${r.stderr}`).toBe(0);
        return logits(out);
      };
      // PyTorch's float32 logits of the float32 weights.
      const f32 = logits(join(CASE, 'logits.npy'));
      const reference = run(widened, 'widened');
      const files: [string, string][] = [['canonical_fp16', join(SCHEMES, 'canonical_fp16.safetensors')], ['official_fp16', join(SCHEMES, 'official_fp16.pth')]];
      // What `convert --dtype f16` writes goes through the same loader; once is enough.
      if (backend === 'reference') files.push(['convert-f16', converted]);
      for (const [name, path] of files) {
        const got = run(path, name);
        // Same weights (f16 widened exactly), same float32 arithmetic: float32 rounding apart.
        expect(maxAbsDiff(got, reference), name).toBeLessThan(1e-5);
        // And the f32 original within what rounding the weights to f16 moves the logits (|logits| ~ 2).
        expect(maxAbsDiff(got, f32), name).toBeLessThan(5e-3);
      }
    });
  }
});

describe('non-finite weights', () => {
  const dir = tempDir();
  const bad = join(dir, 'nan.safetensors');
  const ok = readWeightsFile(join(SCHEMES, 'canonical.safetensors'));
  const weights = new Map(ok.weights);
  const qkv = weights.get('layers.0.blocks.0.attn.qkv.weight')!;
  const data = Float32Array.from(qkv.data as Float32Array);
  data[3] = Number.NaN;
  data[7] = Number.POSITIVE_INFINITY;
  weights.set('layers.0.blocks.0.attn.qkv.weight', { ...qkv, data });
  writeFileSync(bad, writeSafetensors(weights, { config: ok.metadata['config'] ?? '' }));

  it('run, classify, export-onnx and convert refuse them with a one-line error naming the tensor', () => {
    for (const args of [
      ['run', '--weights', bad, '--input', INPUT, '--output', join(dir, 'y.npy')],
      ['export-onnx', '--weights', bad, '-o', join(dir, 'm.onnx')],
      ['convert', bad, '-o', join(dir, 'c.safetensors')],
    ]) {
      const r = swin(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(/2 non-finite values \(NaN or infinity\) in 1 tensors: 'layers\.0\.blocks\.0\.attn\.qkv\.weight' \(2\)/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('--allow-non-finite loads them anyway', () => {
    // export-onnx computes nothing, so the load is all that can refuse (run would then refuse NaN logits).
    const r = swin(['export-onnx', '--weights', bad, '-o', join(dir, 'm.onnx'), '--allow-non-finite']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('info reports them', () => {
    const r = swin(['info', bad, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).nonFinite).toEqual({ count: 2, tensorCount: 1, tensors: [{ name: 'layers.0.blocks.0.attn.qkv.weight', count: 2 }] });
    expect(swin(['info', bad]).stdout).toMatch(/non-finite {3}2 NaN\/inf values in 1 tensors: layers\.0\.blocks\.0\.attn\.qkv\.weight \(2\)/);
  });
});
