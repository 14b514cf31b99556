import { ConfigError } from '../errors.js';
import { validateCrossFormerConfig, type CrossFormerConfig } from './crossformer/crossformer-config.js';
import { validateSwinConfig, type SwinV1Config } from './swin/swin-config.js';
import { validateSwinV2Config, type SwinV2Config } from './swin-v2/swin-v2-config.js';

/** Any architecture core can build, told apart by `family`. */
export type ModelConfig = SwinV1Config | SwinV2Config | CrossFormerConfig;

/** Throws the error for a family core does not know. */
export function unknownFamily(family: unknown): never {
  throw new ConfigError(`config.family: expected "swin_v1", "swin_v2" or "crossformer", found ${JSON.stringify(family)}`);
}

/** Checks a full config of any family; errors name the key, what was expected and what was found. */
export function validateModelConfig(c: ModelConfig): ModelConfig {
  switch (c.family) {
    case 'swin_v1':
      return validateSwinConfig(c);
    case 'swin_v2':
      return validateSwinV2Config(c);
    case 'crossformer':
      return validateCrossFormerConfig(c);
    default:
      return unknownFamily((c as { family?: unknown }).family);
  }
}
