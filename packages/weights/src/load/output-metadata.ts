import type { OutputScheme } from './output-schemes.js';
import type { CanonicalPlan } from './plan-canonical-weights.js';

/** The converter's identity, recorded in every file it writes. */
export const CONVERTER = '@swin/weights 0.1.0';

/**
 * The `__metadata__` of a converted file: the architecture (official argument names, as JSON, with
 * the family) so a reader needs nothing else, and where the weights came from.
 */
export function outputMetadata(plan: CanonicalPlan, outputDType: string, scheme: OutputScheme = 'official'): Record<string, string> {
  const meta: Record<string, string> = { format: 'pt', family: plan.family };
  if (scheme !== 'official') meta['scheme'] = scheme;
  meta['config'] = JSON.stringify({ ...plan.config });
  meta['source_format'] = plan.format;
  meta['source_scheme'] = plan.scheme;
  meta['dtype'] = outputDType;
  meta['converter'] = CONVERTER;
  return meta;
}
