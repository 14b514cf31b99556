import { familyOf, type ModelConfig } from './model-families.js';

/** Checks a full config of any family; errors name the key, what was expected and what was found. */
export function validateModelConfig(c: ModelConfig): ModelConfig {
  return familyOf(c).validate(c);
}
