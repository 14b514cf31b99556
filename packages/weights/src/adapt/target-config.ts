import { ConfigError, MODEL_FAMILIES, getModelFamily, type ConfigAdaptation, type ModelConfig, type ModelFamily } from '@swin/core';

/** What to adapt a checkpoint to; anything left out stays as the checkpoint has it. */
export type AdaptOptions = ConfigAdaptation;

/** True when the options ask for any change. */
export function wantsAdaptation(o: AdaptOptions): boolean {
  return o.windowSize !== undefined || o.imgSize !== undefined || o.numClasses !== undefined;
}

/** Refuses a change of window, size or head for a family that has no rule for it (its descriptor's checkpoint.adapt). */
export function checkAdaptable(family: ModelFamily, options: AdaptOptions): void {
  if (getModelFamily(family).checkpoint.adapt || !wantsAdaptation(options)) return;
  const able = MODEL_FAMILIES.filter((f) => f.checkpoint.adapt).map((f) => f.name);
  throw new ConfigError(`adapting window, size or head is implemented for ${able.join(', ')}; this checkpoint is ${family}`);
}

/** The architecture after adaptation, by the family's rule; `source` itself for a family without one. */
export function targetConfig(source: ModelConfig, options: AdaptOptions, notes: string[]): ModelConfig {
  checkAdaptable(source.family, options);
  const adapt = getModelFamily(source.family).checkpoint.adapt;
  return adapt ? adapt(source, options, notes) : source;
}
