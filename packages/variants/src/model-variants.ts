import { ConfigError } from '@swin/core';
import { getCrossFormerVariant, listCrossFormerVariants, type CrossFormerVariant } from './crossformer-variants.js';
import { getSwinV2Variant, listSwinV2Variants, type SwinV2Variant } from './swin-v2-variants.js';
import { getVariant, listVariants, type SwinVariant } from './variants.js';

/** A named configuration of any family (Swin V1 variants are told apart by config.family). */
export type ModelVariant = SwinVariant | SwinV2Variant | CrossFormerVariant;

/** Every named configuration: Swin V1, then Swin V2, then CrossFormer. */
export function listModelVariants(): ModelVariant[] {
  return [...listVariants(), ...listSwinV2Variants(), ...listCrossFormerVariants()];
}

/**
 * Looks any variant up by name, dispatching on its prefix: `swin-` (V1, see getVariant), `swinv2-`
 * (getSwinV2Variant), `crossformer-` (getCrossFormerVariant).
 */
export function findVariant(name: string): ModelVariant {
  const n = name.trim().toLowerCase();
  if (n.startsWith('swinv2-')) return getSwinV2Variant(n);
  if (n.startsWith('crossformer-')) return getCrossFormerVariant(n);
  if (n.startsWith('swin-')) return getVariant(n);
  throw new ConfigError(`unknown variant '${name}': expected a name starting with swin- (e.g. swin-t), swinv2- (e.g. swinv2-b-384) or crossformer- (e.g. crossformer-s)`);
}
