import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  centerCrop,
  normalizeToTensor,
  officialPreprocessSpec,
  parsePreprocessSpec,
  preprocessImages,
  resizeAndCrop,
  resizeBicubic,
  roundHalfToEven,
  shortSideResizeTarget,
  toRgbImage,
  type PreprocessSpec,
} from '../src/index.js';
import { readJson, readNpy } from './helpers/fixtures.js';
import { readPng } from './helpers/png.js';

// Fixture written by tools/reference/make_preprocess_fixture.py: torchvision's evaluation
// transform (Resize BICUBIC on PIL, CenterCrop, ToTensor, Normalize) on small pictures.
const DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'preprocess');
interface Case {
  name: string;
  width: number;
  height: number;
  resize_size: number;
  crop: number;
  resized: [number, number];
}
const fixture = readJson<{ mean: [number, number, number]; std: [number, number, number]; cases: Case[] }>(join(DIR, 'cases.json'));

describe('preprocessing matches torchvision + Pillow bit for bit', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: resize ${c.width}x${c.height} -> ${c.resized.join('x')}, crop ${c.crop}`, () => {
      const input = toRgbImage(readPng(join(DIR, c.name, 'input.png')));
      const expectedResized = toRgbImage(readPng(join(DIR, c.name, 'resized.png')));
      const target = shortSideResizeTarget(input.width, input.height, c.resize_size);
      expect([target.width, target.height]).toEqual(c.resized);
      const resized = resizeBicubic(input, target.width, target.height);
      expect(resized.width).toBe(expectedResized.width);
      expect(resized.height).toBe(expectedResized.height);
      let mismatches = 0;
      for (let i = 0; i < resized.data.length; i++) if (resized.data[i] !== expectedResized.data[i]) mismatches++;
      expect(mismatches).toBe(0);

      const spec: PreprocessSpec = { ...officialPreprocessSpec(c.crop), resizeSize: c.resize_size, mean: fixture.mean, std: fixture.std };
      const x = preprocessImages([input], spec);
      const expected = readNpy(join(DIR, c.name, 'tensor.npy'));
      expect(x.shape).toEqual(expected.shape);
      expect(Array.from(x.data)).toEqual(Array.from(expected.data as Float32Array));
    });
  }
});

describe('preprocessing pieces', () => {
  it('rounds halves to even like Python', () => {
    expect([0.5, 1.5, 2.5, 3.5, 4.5, 5, 5.4, 5.6].map(roundHalfToEven)).toEqual([0, 2, 2, 4, 4, 5, 5, 6]);
  });

  it('center crop offsets use round-half-to-even and pad small pictures with zeros', () => {
    const img = { width: 5, height: 1, data: Uint8Array.from({ length: 15 }, (_, i) => Math.floor(i / 3) + 1) };
    expect(Array.from(centerCrop(img, 1, 2).data.filter((_, i) => i % 3 === 0))).toEqual([3, 4]); // (5-2)/2 = 1.5 -> 2
    expect(Array.from(centerCrop(img, 1, 4).data.filter((_, i) => i % 3 === 0))).toEqual([1, 2, 3, 4]); // 0.5 -> 0
    expect(Array.from(centerCrop(img, 3, 5).data.filter((_, i) => i % 3 === 0))).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0]);
  });

  it('drops alpha and expands grey like PIL convert("RGB")', () => {
    expect(Array.from(toRgbImage({ width: 1, height: 2, channels: 4, data: Uint8Array.of(1, 2, 3, 0, 4, 5, 6, 255) }).data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(toRgbImage({ width: 2, height: 1, channels: 2, data: Uint8Array.of(7, 0, 9, 9) }).data)).toEqual([7, 7, 7, 9, 9, 9]);
    expect(() => toRgbImage({ width: 2, height: 2, channels: 3, data: new Uint8Array(11) })).toThrow(/expected 12/);
  });

  it('a constant picture stays constant through any resize (weights sum to one)', () => {
    const img = { width: 17, height: 9, data: new Uint8Array(17 * 9 * 3).fill(200) };
    for (const [w, h] of [[3, 2], [40, 31], [17, 4], [5, 9]] as const) {
      expect(new Set(resizeBicubic(img, w, h).data)).toEqual(new Set([200]));
    }
  });

  it('official spec: 224 -> short side 256, 384 -> no crop', () => {
    expect(officialPreprocessSpec(224).resizeSize).toBe(256);
    expect(officialPreprocessSpec(64).resizeSize).toBe(73);
    expect(officialPreprocessSpec(384, false).resizeMode).toBe('exact');
    const img = { width: 500, height: 300, data: new Uint8Array(500 * 300 * 3) };
    expect(resizeAndCrop(img, officialPreprocessSpec(224))).toMatchObject({ width: 224, height: 224 });
    expect(shortSideResizeTarget(500, 300, 256)).toEqual({ width: 426, height: 256 });
  });

  it('parses preprocess.json and rejects what it cannot honour', () => {
    const spec = parsePreprocessSpec({ input_size: [64, 64], resize_size: 73, resize_mode: 'short_side', interpolation: 'bicubic', crop_mode: 'center', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] });
    expect(spec).toEqual({ inputSize: [64, 64], resizeMode: 'short_side', resizeSize: 73, interpolation: 'bicubic', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] });
    expect(() => parsePreprocessSpec({ input_size: 64, interpolation: 'bilinear' })).toThrow(/interpolation/);
    expect(() => parsePreprocessSpec({ input_size: 64, mean: [1, 2] })).toThrow(/mean/);
    expect(() => parsePreprocessSpec({ input_size: 64, resize_size: 32 })).toThrow(/resize_size/);
  });

  it('normalizes into NCHW', () => {
    const img = { width: 2, height: 1, data: Uint8Array.of(0, 255, 51, 255, 0, 102) };
    const t = normalizeToTensor([img, img], [0, 0, 0], [1, 1, 1]);
    expect(t.shape).toEqual([2, 3, 1, 2]);
    expect(Array.from(t.data.subarray(0, 6))).toEqual([0, 1, 1, 0, 0.20000000298023224, 0.4000000059604645]);
  });

  it('refuses a picture whose bytes do not cover width x height x 3 (read as zeros before)', () => {
    const short = { width: 2, height: 2, data: new Uint8Array(11) };
    expect(() => resizeBicubic(short, 3, 3)).toThrow(/resize: RGB data has 11 bytes, expected 12 for 2x2/);
    expect(() => centerCrop(short, 1, 1)).toThrow(/center crop: RGB data has 11 bytes, expected 12 for 2x2/);
    expect(() => normalizeToTensor([short], [0, 0, 0], [1, 1, 1])).toThrow(/picture 0: RGB data has 11 bytes, expected 12 for 2x2/);
  });
});
