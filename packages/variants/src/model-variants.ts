import { ConfigError, MODEL_FAMILIES, familyOf, type ModelFamily } from '@swin/core';
import { getCrossFormerVariant, listCrossFormerVariants, type CrossFormerVariant } from './crossformer-variants.js';
import { getSwinV2Variant, listSwinV2Variants, type SwinV2Variant } from './swin-v2-variants.js';
import { findSourceName } from './variant-sources.js';
import { getVariant, listVariants, type SwinVariant } from './variants.js';

/** A named configuration of any family (Swin V1 variants are told apart by config.family). */
export type ModelVariant = SwinVariant | SwinV2Variant | CrossFormerVariant;

/** One family's named configurations: every one, and a look-up by a name starting with the family's variant prefix. */
interface FamilyVariants {
  list(): ModelVariant[];
  get(name: string): ModelVariant;
}

// The variant tables of each family, by family id (core's descriptor gives the name prefix).
const VARIANTS: Readonly<Record<ModelFamily, FamilyVariants>> = {
  swin_v1: { list: listVariants, get: getVariant },
  swin_v2: { list: listSwinV2Variants, get: getSwinV2Variant },
  crossformer: { list: listCrossFormerVariants, get: getCrossFormerVariant },
};

/** Every named configuration, family by family in the registry's order (Swin V1, Swin V2, CrossFormer). */
export function listModelVariants(): ModelVariant[] {
  return MODEL_FAMILIES.flatMap((f) => VARIANTS[f.id].list());
}

/**
 * Looks any variant up by name: a timm, torchvision or Hugging Face name (SOURCE_NAMES: the variant
 * it is, with the source's config differences such as torchvision's window rule), else the family
 * whose variant prefix (core's descriptor: `swin-`, `swinv2-`, `crossformer-`) starts the name, the
 * longest prefix winning, then that family's look-up.
 */
export function findVariant(name: string): ModelVariant {
  const source = findSourceName(name);
  if (source) {
    const base = findVariant(source.variant);
    if (source.officialWeights && !source.config) return base;
    // Other weights (torchvision's own training): its own id, and no official file to fetch for it.
    const config = source.config ? familyOf(base.config).merge(base.config, { ...source.config }) : base.config;
    return { ...base, id: source.name, config, checkpoint: undefined } as unknown as ModelVariant;
  }
  const n = name.trim().toLowerCase();
  const family = MODEL_FAMILIES.filter((f) => n.startsWith(f.variants.prefix)).sort((a, b) => b.variants.prefix.length - a.variants.prefix.length)[0];
  if (family) return VARIANTS[family.id].get(n);
  const expected = MODEL_FAMILIES.map((f) => `${f.variants.prefix} (e.g. ${f.variants.example})`);
  throw new ConfigError(`unknown variant '${name}': expected a name starting with ${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`);
}
