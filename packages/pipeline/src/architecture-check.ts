import { SwinError, type ModelConfig } from '@swin/core';
import type { ModelVariant } from '@swin/variants';

// What makes two checkpoints the same model: shapes, sizes and head. Regularisation settings
// (drop rates) and other training-only keys are not visible in weights and are not compared.
const ARCHITECTURE_KEYS = ['family', 'embed_dim', 'depths', 'num_heads', 'window_size', 'img_size', 'num_classes', 'patch_size', 'in_chans', 'group_size', 'crs_interval'] as const;

/** Keys in which the loaded architecture differs from the variant's, as "key: expected x, found y". */
export function architectureDifferences(variant: ModelVariant, found: ModelConfig): string[] {
  const expected = variant.config as unknown as Record<string, unknown>;
  const actual = found as unknown as Record<string, unknown>;
  const out: string[] = [];
  for (const key of ARCHITECTURE_KEYS) {
    if (!(key in expected)) continue;
    if (JSON.stringify(expected[key]) !== JSON.stringify(actual[key])) out.push(`${key}: expected ${JSON.stringify(expected[key])}, found ${JSON.stringify(actual[key])}`);
  }
  return out;
}

/** Refuses a checkpoint whose architecture is not the variant asked for (so it is never cached under that name). */
export function assertVariantArchitecture(variant: ModelVariant, found: ModelConfig, where: string): void {
  const diff = architectureDifferences(variant, found);
  if (diff.length > 0) throw new SwinError('INVALID_FORMAT', `${where} is not ${variant.id}: ${diff.join('; ')}`);
}
