import { ConfigError, SwinError } from '../errors.js';
import { CROSSFORMER_FAMILY } from './crossformer/crossformer-family.js';
import type { ModelFamilyDescriptor } from './model-family.js';
import { SWIN_V1_FAMILY } from './swin-v1/swin-v1-family.js';
import { SWIN_V2_FAMILY } from './swin-v2/swin-v2-family.js';
import type { WeightMap } from './weight-map.js';

// The registration: one line per family folder, in the order they were added.
const REGISTERED = [SWIN_V1_FAMILY, SWIN_V2_FAMILY, CROSSFORMER_FAMILY] as const;

/** Any architecture core can build, told apart by `family`. */
export type ModelConfig = (typeof REGISTERED)[number]['defaults'];

/** Model families core can build (config.family). */
export type ModelFamily = ModelConfig['family'];

/** Per block, the geometry of any family (window/shift for Swin, grouping for CrossFormer). */
export type ModelBlockGeometry = ReturnType<(typeof REGISTERED)[number]['build']>['blocks'][number];

/** A family of any config, as the registry hands it out. */
export type AnyModelFamily = ModelFamilyDescriptor<ModelConfig, ModelBlockGeometry>;

/** Every family, in the order they were added. */
export const MODEL_FAMILIES: readonly AnyModelFamily[] = REGISTERED;

/** True when `v` names a family. */
export function isModelFamily(v: unknown): v is ModelFamily {
  return MODEL_FAMILIES.some((f) => f.id === v);
}

/** Throws the error for a family core does not know. */
export function unknownFamily(family: unknown): never {
  const ids = MODEL_FAMILIES.map((f) => JSON.stringify(f.id));
  throw new ConfigError(`config.family: expected ${ids.slice(0, -1).join(', ')} or ${ids[ids.length - 1]}, found ${JSON.stringify(family)}`);
}

/** The family named `id` (a config's `family`); an unknown name is a ConfigError listing the known ones. */
export function getModelFamily(id: unknown): AnyModelFamily {
  return MODEL_FAMILIES.find((f) => f.id === id) ?? unknownFamily(id);
}

/** The family of a config. */
export function familyOf(config: ModelConfig): AnyModelFamily {
  return getModelFamily((config as { family?: unknown }).family);
}

/** Recognises the family from canonical weight names (each family's signature; they are disjoint). */
export function detectFamily(weights: WeightMap): ModelFamily {
  const found = MODEL_FAMILIES.find((f) => f.recognises(weights));
  if (found) return found.id;
  const names = [...weights.keys()];
  throw new SwinError(
    'INVALID_FORMAT',
    `cannot tell the model family: expected ${MODEL_FAMILIES.map((f) => f.signature).join(', or ')} among ${names.length} weights (first: ${names.slice(0, 3).join(', ')})`,
  );
}
