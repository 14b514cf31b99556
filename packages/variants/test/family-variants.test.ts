import { describe, expect, it } from 'vitest';
import { findVariant, getCrossFormerVariant, getSwinV2Variant, listCrossFormerVariants, listModelVariants, listSwinV2Variants } from '../src/index.js';
// The catalogue's counts, which test/variant-catalog.test.ts recomputes with core's modelComplexity.
import { VARIANT_COMPLEXITY } from '../src/variant-complexity.js';

describe('Swin V2 variants', () => {
  // Every release row with published figures: parameters to the printed 0.1 M, MACs to the printed 0.1 G.
  for (const v of listSwinV2Variants().filter((x) => x.published)) {
    it(`${v.id}: ${v.published!.parametersM} M parameters and ${v.published!.gmacs} G MACs`, () => {
      const c = VARIANT_COMPLEXITY[v.id]!;
      expect(Math.abs(c.parameters / 1e6 - v.published!.parametersM)).toBeLessThan(0.05);
      expect(Math.abs(c.macs / 1e9 - v.published!.gmacs)).toBeLessThan(0.05);
    });
  }

  it('counts Swin V2-T exactly like torchvision / the official code (28,347,154 parameters)', () => {
    expect(VARIANT_COMPLEXITY[getSwinV2Variant('swinv2-t').id]!.parameters).toBe(28_347_154);
  });

  it('resolves prefixes to the first matching release and fine-tunes with pretrained windows', () => {
    expect(getSwinV2Variant('swinv2-t').id).toBe('swinv2-t-256-w8-1k');
    expect(getSwinV2Variant('swinv2-b-384').id).toBe('swinv2-b-384-w24-22kto1k');
    const ft = getSwinV2Variant('swinv2-l-256-w16');
    expect(ft.config.pretrained_window_sizes).toEqual([12, 12, 12, 6]);
    expect(ft.checkpoint.url).toMatch(/swinv2_large_patch4_window12to16_192to256_22kto1k_ft\.pth$/);
    const pre = getSwinV2Variant('swinv2-b-192-w12-22k');
    expect(pre.config.num_classes).toBe(21841);
    expect(pre.checkpoint.url).toMatch(/v2\.0\.0\/swinv2_base_patch4_window12_192_22k\.pth$/);
    expect(() => getSwinV2Variant('swinv2-t-384')).toThrow(/unknown Swin V2 variant 'swinv2-t-384': expected one of swinv2-t-256-w8-1k/);
  });
});

describe('CrossFormer variants', () => {
  for (const v of listCrossFormerVariants().filter((x) => !x.config.use_acl)) {
    it(`${v.id}: ${v.published.parametersM} M parameters and ${v.published.gmacs} G MACs at 224`, () => {
      const c = VARIANT_COMPLEXITY[v.id]!;
      expect(Math.abs(c.parameters / 1e6 - v.published.parametersM)).toBeLessThan(0.05);
      // Ours leaves out the position-bias MLPs (folded at compile); the printed figure rounds to 0.1 G.
      expect(Math.abs(c.macs / 1e9 - v.published.gmacs)).toBeLessThan(0.05);
    });
  }
  // CrossFormer++: parameters to the README's 0.1 M. MACs: the README's FLOPs match the official code's
  // own flops() only for B and L (S prints 4.9 where flops() gives 4.389, H 21.8 for 21.586), so ours
  // are checked against flops() run on the official code: ours count the LDA padding its forward
  // computes (56 -> 64 and 28 -> 32 rows at interval 4 / 2 with G 4) and the cooling layers, and leave
  // out the position-bias MLPs (folded): 0.7% above for S, B, L, 1.8% for H (three times the padded blocks).
  for (const v of listCrossFormerVariants().filter((x) => x.config.use_acl)) {
    it(`${v.id}: ${v.published.parametersM} M parameters; MACs against the official flops() (${v.officialFlopsG} G)`, () => {
      const c = VARIANT_COMPLEXITY[v.id]!;
      expect(Math.abs(c.parameters / 1e6 - v.published.parametersM)).toBeLessThan(0.05);
      const over = c.macs / 1e9 / v.officialFlopsG! - 1;
      expect(over).toBeGreaterThan(0.005);
      expect(over).toBeLessThan(v.id === 'crossformer-pp-h' ? 0.02 : 0.01);
      if (v.id === 'crossformer-pp-b' || v.id === 'crossformer-pp-l') expect(Math.abs(v.officialFlopsG! - v.published.gmacs)).toBeLessThan(0.05);
    });
  }
  it('CrossFormer++ uses the official crossformer_pp configs', () => {
    expect(getCrossFormerVariant('crossformer-pp-h').config).toMatchObject({ embed_dim: 128, depths: [6, 6, 18, 2], group_size: [4, 4, 14, 7], crs_interval: [4, 2, 1, 1], use_acl: true, group_type: 'constant' });
  });
  it('rejects unknown sizes', () => {
    expect(() => getCrossFormerVariant('crossformer-x')).toThrow(/expected crossformer-t\|crossformer-s\|crossformer-b\|crossformer-l\|crossformer-pp-s\|crossformer-pp-b\|crossformer-pp-l\|crossformer-pp-h/);
  });
});

describe('any family', () => {
  it('finds variants by prefix and lists every family once', () => {
    expect(findVariant('swin-b-384').config.family).toBe('swin_v1');
    expect(findVariant('swinv2-s-256-w16').config.family).toBe('swin_v2');
    expect(findVariant('crossformer-b').config.family).toBe('crossformer');
    expect(() => findVariant('vit-b')).toThrow(/expected a name starting with swin-/);
    const ids = listModelVariants().map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(16 + 12 + 8);
  });
});
