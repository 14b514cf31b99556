import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tensor, WeightError, SeededRandom } from '@swin/core';
import { bicubicResize, loadWeights, readCheckpoint, resizeAbsolutePositionEmbedding, resizeRelativePositionBias, writeSafetensors } from '../src/index.js';
import { maxAbsDiff, readFixture, runReference } from './helpers/fixtures.js';
import { thrownSwinError } from './helpers/thrown.js';

interface ResizeCase {
  kind: string;
  window_from?: number;
  window_to?: number;
  heads?: number;
  grid_from?: [number, number];
  grid_to?: [number, number];
  channels?: number;
  input: number[];
  output: number[];
}
const { cases } = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/resize_cases.json'), 'utf8')) as { cases: ResizeCase[] };

describe('bicubic resize matches PyTorch (F.interpolate bicubic, align_corners=False)', () => {
  it.each(cases.map((c, i) => [i, c.kind, c] as const))('case %i: %s', (_, __, c) => {
    let out: Float32Array;
    if (c.kind === 'relative_position_bias_table') {
      const s1 = 2 * c.window_from! - 1;
      out = resizeRelativePositionBias(tensor('float32', [s1 * s1, c.heads!], Float32Array.from(c.input)), c.window_to!).data;
    } else {
      const [h, w] = c.grid_from!;
      out = resizeAbsolutePositionEmbedding(tensor('float32', [1, h * w, c.channels!], Float32Array.from(c.input)), c.grid_from!, c.grid_to!).data;
    }
    expect(out.length).toBe(c.output.length);
    // PyTorch sums the 4x4 taps in float32; we sum separably in float64: agreement to float32 rounding.
    expect(maxAbsDiff(out, c.output)).toBeLessThan(5e-6);
  });

  it('is the identity at the same size', () => {
    const src = Float32Array.from({ length: 2 * 5 * 5 }, (_, i) => Math.sin(i));
    expect(maxAbsDiff(bicubicResize(src, 2, 5, 5, 5, 5), src)).toBeLessThan(1e-6);
  });
});

describe('adapting a checkpoint', () => {
  const official = readFixture('schemes', 'official.pth');

  it('resizes bias tables for a new window and picks the matching size', async () => {
    const r = loadWeights(official, { windowSize: 8 });
    expect(r.config).toMatchObject({ window_size: 8, img_size: 64 });
    expect(r.weights.get('layers.0.blocks.0.attn.relative_position_bias_table')!.shape).toEqual([225, 1]);
    expect(r.weights.get('layers.1.blocks.1.attn.relative_position_bias_table')!.shape).toEqual([225, 2]);
    expect(r.warnings.some((w) => w.includes('7x7 -> 15x15 (bicubic) in 4 blocks'))).toBe(true);
    const rng = new SeededRandom(5);
    const out = await runReference(r.config!, r.weights, tensor('float32', [1, 3, 64, 64], rng.normalArray(3 * 64 * 64)));
    expect(out.shape).toEqual([1, 10]);
    expect([...out.data].every(Number.isFinite)).toBe(true);
  });

  it('keeps an explicit image size and resizes only the tables that change', () => {
    const r = loadWeights(official, { windowSize: 2, imgSize: 32 });
    // 32 px: stage 0 is 8x8 (window 2), stage 1 4x4 (window 2): every table shrinks 7x7 -> 3x3.
    expect(r.config).toMatchObject({ window_size: 2, img_size: 32 });
    expect(r.weights.get('layers.1.blocks.0.attn.relative_position_bias_table')!.shape).toEqual([9, 2]);
  });

  it('drops the head or replaces it with a zero head of another size', () => {
    const none = loadWeights(official, { numClasses: 0 });
    expect(none.config!.num_classes).toBe(0);
    expect(none.weights.has('head.weight')).toBe(false);
    const five = loadWeights(official, { numClasses: 5 });
    expect(five.weights.get('head.weight')!.shape).toEqual([5, 32]);
    expect([...five.weights.get('head.weight')!.data].every((v) => v === 0)).toBe(true);
    expect(five.warnings.some((w) => w.includes('zero-initialised'))).toBe(true);
    const same = loadWeights(official, { numClasses: 10 });
    expect(same.warnings).toEqual([]);
  });

  it('resizes the absolute position embedding with the image size', async () => {
    const r = loadWeights(readFixture('official', 'swin_v1_ape_t32_w4_default', 'checkpoint.pth'), { imgSize: 48 });
    expect(r.config).toMatchObject({ ape: true, img_size: 48 });
    expect(r.weights.get('absolute_pos_embed')!.shape).toEqual([1, 144, 16]);
    const out = await runReference(r.config!, r.weights, tensor('float32', [1, 3, 48, 48], new SeededRandom(1).normalArray(3 * 48 * 48)));
    expect(out.shape).toEqual([1, 10]);
  });

  it('refuses mismatched shapes with a typed error naming the weight', () => {
    const canonical = readCheckpoint(readFixture('schemes', 'canonical.safetensors')).tensors;
    const broken = new Map(canonical);
    broken.set('layers.0.blocks.1.mlp.fc2.weight', tensor('float32', [16, 32], new Float32Array(16 * 32)));
    const bytes = writeSafetensors(broken);
    const error = thrownSwinError<WeightError>(() => loadWeights(bytes));
    expect(error).toBeInstanceOf(WeightError);
    expect(error.code).toBe('WEIGHT_SHAPE_MISMATCH');
    expect(error.weightName).toBe('layers.0.blocks.1.mlp.fc2.weight');
    expect(error.message).toContain('expected shape [16,64], found [16,32]');
  });

  it('refuses a missing weight with a typed error', () => {
    const canonical = readCheckpoint(readFixture('schemes', 'canonical.safetensors')).tensors;
    canonical.delete('layers.1.blocks.0.attn.proj.bias');
    expect(() => loadWeights(writeSafetensors(canonical))).toThrow(/missing weight 'layers.1.blocks.0.attn.proj.bias'/);
  });
});
