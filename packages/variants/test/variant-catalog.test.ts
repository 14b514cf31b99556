import { familyOf, modelComplexity } from '@swin/core';
import { describe, expect, it } from 'vitest';
import { SOURCE_NAMES, findVariant, listModelVariants, variantCatalog } from '../src/index.js';
import { VARIANT_COMPLEXITY } from '../src/variant-complexity.js';

describe('the variant catalogue', () => {
  it('has one complexity row per variant, each what core counts at the training size', () => {
    const variants = listModelVariants();
    expect(Object.keys(VARIANT_COMPLEXITY).sort()).toEqual(variants.map((v) => v.id).sort());
    const stale = variants.filter((v) => JSON.stringify(modelComplexity(v.config)) !== JSON.stringify(VARIANT_COMPLEXITY[v.id]));
    expect(stale.map((v) => v.id), 'rows differing from modelComplexity: run `pnpm --filter @swin/variants run write-complexity`').toEqual([]);
  });

  it("a source's config differences (torchvision's window rule) do not change the counts at the training size", () => {
    for (const s of SOURCE_NAMES.filter((x) => x.config)) {
      const base = findVariant(s.variant).config;
      const config = familyOf(base).merge(base, { ...s.config });
      expect(modelComplexity(config), s.name).toEqual(VARIANT_COMPLEXITY[s.variant]);
    }
  });

  it('lists every variant of every family with every source that publishes it', () => {
    const all = variantCatalog();
    expect(all.map((e) => e.id)).toEqual(listModelVariants().map((v) => v.id));
    const t = all.find((e) => e.id === 'swin-t-224-1k')!;
    expect(t).toMatchObject({ family: 'swin_v1', size: [224, 224], classes: 1000, parameters: 28_288_354 });
    expect(t.sources.map((s) => `${s.source} ${s.name}`)).toEqual([
      'official swin-t-224-1k',
      'timm swin_tiny_patch4_window7_224.ms_in1k',
      'torchvision swin_t',
      'huggingface microsoft/swin-tiny-patch4-window7-224',
    ]);
    expect(t.sources[0]!.url).toMatch(/v1\.0\.0\/swin_tiny_patch4_window7_224\.pth$/);
    expect(t.sources[2]!.officialWeights).toBe(false);
    // Nobody released Swin-T at 384: a configuration without a source.
    expect(all.find((e) => e.id === 'swin-t-384-1k')!.sources).toEqual([]);
    expect(all.find((e) => e.id === 'crossformer-pp-h')!.sources).toMatchObject([{ source: 'official', url: 'https://github.com/cheerss/CrossFormer' }]);
    // Every source name appears under its variant, once.
    expect(all.flatMap((e) => e.sources).filter((s) => s.source !== 'official')).toHaveLength(SOURCE_NAMES.length);
  });

  it('filters by family and by source, and refuses unknown values by listing the known ones', () => {
    expect(variantCatalog({ family: 'crossformer' }).map((e) => e.id)).toHaveLength(8);
    const tv = variantCatalog({ source: 'torchvision' });
    expect(tv.map((e) => e.sources.map((s) => s.name)).flat()).toEqual(['swin_t', 'swin_s', 'swin_b', 'swin_v2_t', 'swin_v2_s', 'swin_v2_b']);
    expect(variantCatalog({ family: 'swin_v2', source: 'huggingface' })).toHaveLength(12);
    expect(() => variantCatalog({ family: 'vit' as never })).toThrow("family: expected swin_v1|swin_v2|crossformer, found 'vit'");
    expect(() => variantCatalog({ source: 'hf' as never })).toThrow("source: expected official|timm|torchvision|huggingface, found 'hf'");
  });
});
