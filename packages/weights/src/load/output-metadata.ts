import { ConfigError } from '@swin/core';
import type { OutputScheme } from './output-schemes.js';
import type { CanonicalPlan } from './plan-canonical-weights.js';

/** The converter's identity, recorded in every file it writes. */
export const CONVERTER = '@swin/weights 0.1.0';

/**
 * The `__metadata__` of a converted file: the architecture (official argument names, as JSON, with
 * the family) so a reader needs nothing else, where the weights came from, and the class names
 * when given (`classes`, a JSON list: one per head row, else a ConfigError before anything is written).
 */
export function outputMetadata(plan: CanonicalPlan, outputDType: string, scheme: OutputScheme = 'official', classes?: readonly string[]): Record<string, string> {
  if (classes && classes.length !== plan.config.num_classes) throw new ConfigError(`classes: expected ${plan.config.num_classes} names (the head's size), found ${classes.length}`);
  const meta: Record<string, string> = { format: 'pt', family: plan.family };
  if (scheme !== 'official') meta['scheme'] = scheme;
  meta['config'] = JSON.stringify({ ...plan.config });
  meta['source_format'] = plan.format;
  meta['source_scheme'] = plan.scheme;
  meta['dtype'] = outputDType;
  meta['converter'] = CONVERTER;
  if (classes) meta['classes'] = JSON.stringify(classes);
  return meta;
}
