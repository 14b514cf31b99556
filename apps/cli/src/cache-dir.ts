import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where fetched checkpoints live: $SWIN_CACHE_DIR, else ~/.cache/swin (XDG_CACHE_HOME respected). */
export function swinCacheDir(): string {
  if (process.env['SWIN_CACHE_DIR']) return process.env['SWIN_CACHE_DIR'];
  const base = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'swin');
}

/** Path of a variant's converted checkpoint in the cache. */
export function cachedWeightsPath(variantId: string): string {
  return join(swinCacheDir(), `${variantId}.safetensors`);
}
