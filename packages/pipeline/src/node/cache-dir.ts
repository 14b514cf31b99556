import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

/** Where downloaded checkpoints live (shared with `swin fetch`): $SWIN_CACHE_DIR, else $XDG_CACHE_HOME/swin, else ~/.cache/swin. */
export function swinCacheDir(): string {
  if (process.env['SWIN_CACHE_DIR']) return process.env['SWIN_CACHE_DIR'];
  const base = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'swin');
}

/** Path of a variant's converted checkpoint in the cache. */
export function cachedWeightsPath(variantId: string): string {
  return join(swinCacheDir(), `${variantId}.safetensors`);
}

/** Where a download is kept while it is fetched and checked (resumable `.part` beside it). */
export function downloadPath(url: string): string {
  const name = basename(new URL(url).pathname).replace(/[^\w.-]/g, '_') || 'download';
  return join(swinCacheDir(), 'downloads', `${createHash('sha256').update(url).digest('hex').slice(0, 12)}-${name}`);
}

/** Cache path of a file of a hub repo at a revision. */
export function hubCachePath(repo: string, revision: string, file: string): string {
  return join(swinCacheDir(), 'hub', repo.replace('/', '--'), revision.replace(/[^\w.-]/g, '_'), file);
}
