import { describe, expect, it } from 'vitest';
import { getVariant, listVariants } from '../src/index.js';
// The catalogue's counts, which test/variant-catalog.test.ts recomputes with core's modelComplexity.
import { VARIANT_COMPLEXITY } from '../src/variant-complexity.js';

// Official figures: parameter counts of the released models, and the papers' "FLOPs" (MACs).
const OFFICIAL: [string, number, number][] = [
  ['swin-t', 28_288_354, 4.494e9],
  ['swin-s', 49_606_258, 8.747e9],
  ['swin-b', 87_768_224, 15.438e9],
  ['swin-b-384', 87_903_584, 47.105e9],
];

describe('named variants', () => {
  for (const [name, params, macs] of OFFICIAL) {
    it(`${name}: ${params} parameters and ${(macs / 1e9).toFixed(3)} G MACs`, () => {
      const c = VARIANT_COMPLEXITY[getVariant(name).id]!;
      expect(c.parameters).toBe(params);
      // 3-decimal rounding (5e-4 G) plus the official flops() over-count of the final norm
      // (it divides tokens by 2^stages instead of 4^(stages-1): +0.11 M MACs for 4 stages at 224).
      expect(Math.abs(c.macs - macs) / 1e9).toBeLessThan(5e-4 + 0.12e-3);
    });
  }

  it('swin-l at 224: about 197 M parameters and 34.5 G MACs', () => {
    const c = VARIANT_COMPLEXITY[getVariant('swin-l').id]!;
    expect(Math.abs(c.parameters / 1e6 - 197)).toBeLessThan(0.5);
    expect(Math.abs(c.macs / 1e9 - 34.5)).toBeLessThan(0.05);
  });

  it('22k heads have 21841 classes and 384 uses window 12', () => {
    const v = getVariant('swin-b-384-22k');
    expect(v.config.num_classes).toBe(21841);
    expect(v.config.window_size).toBe(12);
    expect(v.config.img_size).toBe(384);
    expect(v.checkpoint?.url).toMatch(/swin_base_patch4_window12_384_22k\.pth$/);
  });

  it('lists 16 variants, with unique ids', () => {
    const ids = listVariants().map((v) => v.id);
    expect(ids).toHaveLength(16);
    expect(new Set(ids).size).toBe(16);
  });

  it('rejects unknown names with the expected forms', () => {
    expect(() => getVariant('swin-x')).toThrow(/expected swin-t\|swin-s\|swin-b\|swin-l/);
  });
});
