import { modelComplexity, SwinError } from '@swin/core';
import { loadWeights, type LoadedWeights, type LoadOptions } from '@swin/weights';
import { assertVariantArchitecture } from '../architecture-check.js';
import { checkpointSizeCap, DEFAULT_DOWNLOAD_TIMEOUT_MS, DEFAULT_MAX_DOWNLOAD_BYTES, type DownloadOptions } from '../download/download-options.js';
import { cachedBytes, downloadBytes, storeBytes } from '../download/browser-download.js';
import { HUB_WEIGHT_FILES, hubBaseUrl, hubFileUrl, parseHubConfig } from '../hf-hub.js';
import type { ResolvedSource } from '../model-source.js';
import type { ReadCheckpoint } from '../platform.js';
import type { LoadModelOptions } from '../types.js';

function downloadOptions(options: LoadModelOptions, url: string, extra: Partial<DownloadOptions> = {}): DownloadOptions {
  return {
    maxBytes: options.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES,
    timeoutMs: options.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: (done: number, total: number | undefined) => options.onProgress!({ phase: 'download', done, total, label: url }) } : {}),
    ...extra,
  };
}

/**
 * Downloads (or takes from Cache Storage) and reads a checkpoint; `check` runs on the read
 * weights before anything is cached, so a file that is not what was asked for is never stored.
 */
async function fetchAndRead(url: string, options: LoadModelOptions, load: LoadOptions, extra: Partial<DownloadOptions>, check?: (loaded: LoadedWeights) => void): Promise<LoadedWeights> {
  const useCache = options.cache !== false;
  const hit = useCache ? await cachedBytes(url) : undefined;
  const bytes = hit ?? (await downloadBytes(url, downloadOptions(options, url, extra)));
  const loaded = loadWeights(bytes, load);
  check?.(loaded);
  if (useCache && !hit) await storeBytes(url, bytes);
  return loaded;
}

async function readHub(repo: string, revision: string, options: LoadModelOptions, load: LoadOptions): Promise<ReadCheckpoint> {
  const base = hubBaseUrl(options.hubUrl);
  const configUrl = hubFileUrl(base, repo, revision, 'config.json');
  const configBytes = (options.cache !== false ? await cachedBytes(configUrl) : undefined) ?? (await downloadBytes(configUrl, downloadOptions(options, configUrl, { maxBytes: 16 * 1024 ** 2 })));
  const hub = parseHubConfig(new TextDecoder().decode(configBytes), configUrl);
  if (options.cache !== false) await storeBytes(configUrl, configBytes);
  const failures: string[] = [];
  for (const file of HUB_WEIGHT_FILES) {
    const url = hubFileUrl(base, repo, revision, file);
    try {
      const loaded = await fetchAndRead(url, options, { ...load, config: { ...hub.overrides, ...load.config } }, {});
      return { loaded, where: `hf:${repo}@${revision}`, ...(hub.labels ? { labels: hub.labels, labelsWhere: configUrl } : {}) };
    } catch (err) {
      if (!(err instanceof SwinError && /found 404/.test(err.message))) throw err;
      failures.push(`${file}: HTTP 404`);
    }
  }
  throw new SwinError('IO_ERROR', `hf:${repo}@${revision} has no weights file: ${failures.join('; ')}`);
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
