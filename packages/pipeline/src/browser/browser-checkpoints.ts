import { modelComplexity, SwinError } from '@swin/core';
import { loadWeights, MAX_HUGGINGFACE_CONFIG_BYTES, MAX_HUGGINGFACE_PREPROCESSOR_BYTES, type LoadedWeights, type LoadOptions } from '@swin/weights';
import { assertVariantArchitecture } from '../architecture-check.js';
import { checkpointSizeCap, downloadOptionsFor, type DownloadOptions } from '../download/download-options.js';
import { cachedBytes, downloadBytes, storeBytes } from '../download/browser-download.js';
import { firstHubWeights, hubBaseUrl, hubFileUrl, hubLoadOptions, hubPreprocess, hubPreprocessorUrl, parseHubConfig } from '../hf-hub.js';
import type { ResolvedSource } from '../model-source.js';
import type { ReadCheckpoint } from '../platform.js';
import type { LoadModelOptions } from '../types.js';

/**
 * Downloads (or takes from Cache Storage) and reads a checkpoint; `check` runs on the read
 * weights before anything is cached, so a file that is not what was asked for is never stored.
 */
async function fetchAndRead(url: string, options: LoadModelOptions, load: LoadOptions, extra: Partial<DownloadOptions>, check?: (loaded: LoadedWeights) => void): Promise<LoadedWeights> {
  const useCache = options.cache !== false;
  const hit = useCache ? await cachedBytes(url) : undefined;
  const bytes = hit ?? (await downloadBytes(url, downloadOptionsFor(options, url, extra)));
  const loaded = loadWeights(bytes, load);
  check?.(loaded);
  if (useCache && !hit) await storeBytes(url, bytes);
  return loaded;
}

/** A small file (a hub config) from Cache Storage, else downloaded (at most `maxBytes`), read by `parse`, and cached only once it parsed. */
async function cachedSmallFile<T>(url: string, options: LoadModelOptions, maxBytes: number, parse: (bytes: Uint8Array) => T): Promise<T> {
  const useCache = options.cache !== false;
  const hit = useCache ? await cachedBytes(url) : undefined;
  const bytes = hit ?? (await downloadBytes(url, downloadOptionsFor(options, url, { maxBytes })));
  const parsed = parse(bytes);
  if (useCache && !hit) await storeBytes(url, bytes);
  return parsed;
}

async function readHub(repo: string, revision: string, options: LoadModelOptions, load: LoadOptions): Promise<ReadCheckpoint> {
  const base = hubBaseUrl(options.hubUrl);
  const configUrl = hubFileUrl(base, repo, revision, 'config.json');
  const hub = await cachedSmallFile(configUrl, options, MAX_HUGGINGFACE_CONFIG_BYTES, (bytes) => parseHubConfig(new TextDecoder().decode(bytes), configUrl));
  const preprocess = await hubPreprocess(hub, hubPreprocessorUrl(base, repo, revision), (url, parse) => cachedSmallFile(url, options, MAX_HUGGINGFACE_PREPROCESSOR_BYTES, parse));
  const loaded = await firstHubWeights(repo, revision, base, (url) => fetchAndRead(url, options, hubLoadOptions(hub, load), {}));
  return { loaded, where: `hf:${repo}@${revision}`, ...(hub.labels ? { labels: hub.labels, labelsWhere: configUrl } : {}), ...(preprocess ? { preprocess } : {}) };
}

/** Browsers and workers: everything comes over fetch, cached in Cache Storage once verified. */
export async function readBrowserCheckpoint(source: Exclude<ResolvedSource, { kind: 'bytes' | 'weights' | 'blob' }>, options: LoadModelOptions, load: LoadOptions): Promise<ReadCheckpoint> {
  switch (source.kind) {
    case 'path':
      throw new SwinError('INVALID_ARGUMENT', `model source '${source.path}': file paths work in Node only; in a browser give a URL, bytes or a Blob`);
    case 'url':
      return { loaded: await fetchAndRead(source.url, options, load, options.sha256 ? { sha256: options.sha256 } : {}), where: source.url };
    case 'variant': {
      const { variant } = source;
      const url = variant.checkpoint?.url;
      if (!url) throw new SwinError('INVALID_ARGUMENT', `the official release has no downloadable checkpoint for ${variant.id}: give a URL or bytes`);
      const extra: Partial<DownloadOptions> = { maxBytes: options.maxDownloadBytes ?? checkpointSizeCap(modelComplexity(variant.config).parameters), ...(variant.checkpoint?.sha256 ? { sha256: variant.checkpoint.sha256 } : {}) };
      const loaded = await fetchAndRead(url, options, load, extra, (l) => assertVariantArchitecture(variant, l.config, url));
      return { loaded, where: variant.id };
    }
    case 'hf':
      return readHub(source.repo, source.revision, options, load);
  }
}
