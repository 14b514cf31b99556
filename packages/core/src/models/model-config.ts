import { familyOf, type ModelConfig } from './model-families.js';

/** Checks a full config of any family; errors name the key, what was expected and what was found. */
export function validateModelConfig(c: ModelConfig): ModelConfig {
  return familyOf(c).validate(c);
}

/** A user's partial config (official argument names) over a full one of any family; unknown keys are refused by name. */
export function mergeModelConfig(base: ModelConfig, overrides: Record<string, unknown>): ModelConfig {
  return familyOf(base).merge(base, overrides);
}

/** img_size of any family's config as [H, W]. */
export function modelImageSize(c: ModelConfig): [number, number] {
  return familyOf(c).imageSize(c);
}
