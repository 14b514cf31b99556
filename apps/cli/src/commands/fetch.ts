import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { findVariant } from '@swin/variants';
import { convertCheckpointFile } from '@swin/weights/node';
import { parseCommandArgs } from '../args.js';
import { cachedWeightsPath, swinCacheDir } from '../cache-dir.js';
import { UsageError } from '../cli-errors.js';
import { downloadWithResume } from '../download.js';
import { createProgress } from '../progress.js';

export const FETCH_HELP = `swin fetch <swin-t|swin-s|swin-b|swin-l> [--384] [--22k] [--url URL] [--force]

Downloads an official release checkpoint, verifies it, converts it to safetensors and caches it
in $SWIN_CACHE_DIR (default ~/.cache/swin). An interrupted download resumes where it stopped.
Afterwards --weights swin-t (or swin-b-384-22k, ...) finds it in the cache.

  --384        the 384x384 (window 12) model
  --22k        the ImageNet-22k head (21841 classes)
  --url URL    download from a mirror instead of the official release URL
  --force      download and convert again even when the cache has it`;

/** `swin fetch`. */
export async function fetchCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      '384': { type: 'boolean', default: false },
      '22k': { type: 'boolean', default: false },
      url: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    true,
  );
  if (values.help) {
    console.log(FETCH_HELP);
    return;
  }
  if (positionals.length !== 1) throw new UsageError(`fetch takes one variant name (swin-t, swin-s, swin-b, swin-l), found ${positionals.length}`);
  const variant = findVariant(`${positionals[0]}${values['384'] ? '-384' : ''}${values['22k'] ? '-22k' : ''}`);
  const url = values.url ?? variant.checkpoint?.url;
  if (!url) throw new UsageError(`the official release has no checkpoint for ${variant.id}; pass --url to fetch one from elsewhere`);
  const target = cachedWeightsPath(variant.id);
  if (!values.force && (await stat(target).then(() => true, () => false))) {
    console.log(`${variant.id}: already cached at ${target}`);
    return;
  }
  const downloads = join(swinCacheDir(), 'downloads');
  await mkdir(downloads, { recursive: true });
  const original = join(downloads, basename(new URL(url).pathname) || `${variant.id}.pth`);
  const progress = createProgress(`download ${variant.id}`);
  try {
    await downloadWithResume(url, original, {
      ...(variant.checkpoint?.sha256 && !values.url ? { sha256: variant.checkpoint.sha256 } : {}),
      onProgress: (done, total) => progress.update(done, total ?? done, total ? '' : 'bytes'),
    });
  } finally {
    progress.stop();
  }
  const convert = createProgress(`convert ${variant.id}`);
  try {
    await convertCheckpointFile(original, target, {}, (p) => convert.update(p.writtenBytes, p.totalBytes, p.tensorName));
  } catch (err) {
    // A file that does not convert is not a checkpoint we can use: leave no cache entry behind.
    await rm(original, { force: true });
    await rm(target, { force: true });
    throw err;
  } finally {
    convert.stop();
  }
  await rm(original, { force: true });
  console.log(`${variant.id}: cached at ${target}`);
}
