import { fetchVariant } from '@swin/pipeline';
import { findVariant } from '@swin/variants';
import { parseCommandArgs } from '../args.js';
import { usage, UsageError } from '../cli-errors.js';
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
  const args = parseCommandArgs(
    argv,
    FETCH_HELP,
    {
      '384': { type: 'boolean', default: false },
      '22k': { type: 'boolean', default: false },
      url: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    true,
  );
  if (!args) return;
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UsageError(`fetch takes one variant name (swin-t, swin-s, swin-b, swin-l), found ${positionals.length}`);
  const variant = usage('fetch', () => findVariant(`${positionals[0]}${values['384'] ? '-384' : ''}${values['22k'] ? '-22k' : ''}`));
  const download = createProgress(`download ${variant.id}`);
  const convert = createProgress(`convert ${variant.id}`);
  let result: { path: string; cached: boolean };
  try {
    // @swin/pipeline's loader: resumable, size-capped, deadline, checksum where published, and the
    // file must be this variant's architecture before anything is cached under its name.
    result = await fetchVariant(variant, {
      ...(values.url ? { url: values.url } : {}),
      force: values.force,
      onProgress: (p) => download.update(p.done, p.total ?? p.done, p.total ? '' : 'bytes'),
      onConvertProgress: (done, total, tensor) => {
        download.stop();
        convert.update(done, total, tensor);
      },
    });
  } finally {
    download.stop();
    convert.stop();
  }
  const target = result.path;
  if (result.cached) {
    console.log(`${variant.id}: already cached at ${target}`);
    return;
  }
  console.log(`${variant.id}: cached at ${target}`);
}
