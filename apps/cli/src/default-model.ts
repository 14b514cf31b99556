import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Directory of the model `swin classify` uses without --weights: $SWIN_DEFAULT_MODEL, else the copy
 * shipped inside the package (dist/../default-model), else the repository's models/default.
 */
export function defaultModelDir(): string {
  const inRepository = join(here, '../../../models/default');
  const candidates = [process.env['SWIN_DEFAULT_MODEL'], join(here, '../default-model'), inRepository];
  for (const c of candidates) if (c && existsSync(join(c, 'weights.safetensors'))) return c;
  return inRepository;
}
