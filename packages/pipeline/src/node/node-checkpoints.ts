import { existsSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { modelComplexity, parsePreprocessSpec, SwinError, type PreprocessSpec } from '@swin/core';
import type { ModelVariant } from '@swin/variants';
import { HUGGINGFACE_PREPROCESSOR_FILE, MAX_HUGGINGFACE_PREPROCESSOR_BYTES, type LoadOptions } from '@swin/weights';
import { convertCheckpointFile, locateCheckpoint, readWeightsFile, type CheckpointLocation } from '@swin/weights/node';
import { assertVariantArchitecture } from '../architecture-check.js';
import { parseLabelList } from '../class-labels.js';
import { checkpointSizeCap, downloadOptionsFor, type DownloadOptions } from '../download/download-options.js';
import { downloadToFile, parseHttpUrl } from '../download/node-download.js';
import { firstHubWeights, hubBaseUrl, hubFileUrl, hubLoadOptions, hubPreprocess, hubPreprocessorUrl, parseHubConfig } from '../hf-hub.js';
import { resolveSource, unknownVariantOrPath, type ResolvedSource } from '../model-source.js';
import type { ReadCheckpoint } from '../platform.js';
import type { LoadModelOptions } from '../types.js';
import { cachedWeightsPath, downloadPath, hubCachePath } from './cache-dir.js';
import { readLocalFile } from './read-local-file.js';

const readText = (path: string, what: string): string => new TextDecoder().decode(readLocalFile(path, what));

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** A preprocess.json (our own format, as the default model ships it), parsed. */
function readPreprocessJson(path: string): PreprocessSpec {
  let json: unknown;
  try {
    json = JSON.parse(readText(path, 'preprocessing'));
  } catch (err) {
    throw new SwinError('INVALID_CONFIG', `${path}: expected JSON, found a syntax error: ${(err as Error).message}`);
  }
  return parsePreprocessSpec(json);
}

/**
 * A checkpoint path: a file plus the classes.json / preprocess.json beside it (as the default model
 * ships them), or a Hugging Face model folder (config.json's architecture checked against its
 * weights, its id2label as class names, its image_size as the input size, its
 * preprocessor_config.json as the preprocessing, else a preprocess.json in it).
 */
export function readCheckpointPath(path: string, load: LoadOptions): ReadCheckpoint {
  if (!existsSync(path)) throw unknownVariantOrPath(path);
  const { file, huggingFace } = locateCheckpoint(path);
  const loaded = readWeightsFile(file, huggingFace ? { ...load, declared: huggingFace.declared } : load);
  const classesFile = join(dirname(file), 'classes.json');
  const preprocessFile = join(dirname(file), 'preprocess.json');
  const preprocess = huggingFace?.preprocess?.spec ?? (existsSync(preprocessFile) ? readPreprocessJson(preprocessFile) : undefined);
  const labels = huggingFace?.labels
    ? { labels: huggingFace.labels, labelsWhere: `${huggingFace.configFile} id2label` }
    : existsSync(classesFile)
      ? { labels: parseLabelList(readText(classesFile, 'class names'), classesFile), labelsWhere: classesFile }
      : {};
  return { loaded, where: path, ...labels, ...(preprocess ? { preprocess } : {}) };
}

/**
 * A checkpoint already on this machine: a file, a Hugging Face model folder (its weights file and
 * config.json), or a variant's file in the `swin fetch` cache. Never downloads (for header-only
 * inspection and conversion; loadModel and fetchVariant download).
 */
export function localCheckpoint(spec: string): CheckpointLocation {
  if (existsSync(spec)) return locateCheckpoint(spec);
  const resolved = resolveSource(spec, true);
  if (resolved.kind === 'variant') {
    const cached = cachedWeightsPath(resolved.variant.id);
    if (existsSync(cached)) return { file: cached };
    throw new SwinError('IO_ERROR', `weights '${spec}' are not cached (expected ${cached}): run swin fetch ${spec} (or fetchVariant / loadModel in code)`);
  }
  if (resolved.kind === 'path') throw unknownVariantOrPath(spec);
  throw new SwinError('INVALID_ARGUMENT', `'${spec}': expected a local checkpoint file or folder, or the name of a fetched variant`);
}

/** The weights file of localCheckpoint (a folder's config.json is left out: use localCheckpoint to have it). */
export function localCheckpointFile(spec: string): string {
  return localCheckpoint(spec).file;
}

/** Options of fetchVariant: where from, and whether to replace what the cache has. */
export interface FetchVariantOptions extends Pick<LoadModelOptions, 'signal' | 'onProgress' | 'maxDownloadBytes' | 'downloadTimeoutMs'> {
  /** A mirror to download from instead of the official URL (its file must still be this variant). */
  readonly url?: string;
  /** Download again even when the cache has the variant; the cached file stays until the new one is verified. */
  readonly force?: boolean;
  /** Called before converting, with the size of the file converted. */
  readonly onConvertProgress?: (done: number, total: number, tensor: string) => void;
}

/**
 * Downloads a variant's checkpoint (resumable, size-capped, checksummed where the release publishes
 * one), checks that the architecture in the file is the variant's, and caches it as safetensors
 * under the variant's name. Returns the cached path. Nothing is cached for a file that is not the
 * variant, and a failed refresh keeps the old cached file.
 */
export async function fetchVariant(variant: ModelVariant, options: FetchVariantOptions = {}): Promise<{ path: string; cached: boolean }> {
  const target = cachedWeightsPath(variant.id);
  if (!options.force && (await exists(target))) return { path: target, cached: true };
  const url = options.url ?? variant.checkpoint?.url;
  if (!url) throw new SwinError('INVALID_ARGUMENT', `the official release has no downloadable checkpoint for ${variant.id}; give a URL to fetch one from elsewhere`);
  parseHttpUrl(url);
  const original = downloadPath(url);
  const sha256 = !options.url ? variant.checkpoint?.sha256 : undefined;
  const cap = options.maxDownloadBytes ?? checkpointSizeCap(modelComplexity(variant.config).parameters);
  await downloadToFile(url, original, downloadOptionsFor({ ...options, maxDownloadBytes: cap }, url, sha256 ? { sha256 } : {}));
  try {
    const loaded = readWeightsFile(original);
    assertVariantArchitecture(variant, loaded.config, url);
    // Written atomically: the old cached file (with --force) stays until the new one is complete.
    await convertCheckpointFile(original, target, {}, options.onConvertProgress ? (p) => options.onConvertProgress!(p.writtenBytes, p.totalBytes, p.tensorName) : undefined);
  } finally {
    // A file that is not this variant, or does not read, is not kept; a good one now lives in `target`.
    await rm(original, { force: true });
  }
  return { path: target, cached: false };
}

async function fetchFile(url: string, dest: string, options: LoadModelOptions, extra: Partial<DownloadOptions> = {}): Promise<string> {
  if (options.cache !== false && (await exists(dest))) return dest;
  await downloadToFile(url, dest, downloadOptionsFor(options, url, extra));
  return dest;
}

async function readHub(repo: string, revision: string, options: LoadModelOptions, load: LoadOptions): Promise<ReadCheckpoint> {
  const base = hubBaseUrl(options.hubUrl);
  const configUrl = hubFileUrl(base, repo, revision, 'config.json');
  const configPath = await fetchFile(configUrl, hubCachePath(repo, revision, 'config.json'), options, { maxBytes: 16 * 1024 ** 2 });
  const hub = parseHubConfig(readText(configPath, 'hub config'), configUrl);
  const preprocess = await hubPreprocess(hub, hubPreprocessorUrl(base, repo, revision), async (url, parse) =>
    parse(readLocalFile(await fetchFile(url, hubCachePath(repo, revision, HUGGINGFACE_PREPROCESSOR_FILE), options, { maxBytes: MAX_HUGGINGFACE_PREPROCESSOR_BYTES }), 'hub preprocessor config')),
  );
  const loaded = await firstHubWeights(repo, revision, base, async (url, file) => readWeightsFile(await fetchFile(url, hubCachePath(repo, revision, file), options), hubLoadOptions(hub, load)));
  return { loaded, where: `hf:${repo}@${revision}`, ...(hub.labels ? { labels: hub.labels, labelsWhere: configUrl } : {}), ...(preprocess ? { preprocess } : {}) };
}

/** Node: variants through the `swin fetch` cache, URLs and hub files cached in the same directory, paths read in place. */
export async function readNodeCheckpoint(source: Exclude<ResolvedSource, { kind: 'bytes' | 'weights' | 'blob' }>, options: LoadModelOptions, load: LoadOptions): Promise<ReadCheckpoint> {
  switch (source.kind) {
    case 'path':
      return readCheckpointPath(source.path, load);
    case 'variant': {
      const { path } = await fetchVariant(source.variant, { ...options, force: options.cache === false });
      return { ...readCheckpointPath(path, load), where: source.variant.id };
    }
    case 'url': {
      parseHttpUrl(source.url);
      const dest = downloadPath(source.url);
      const path = await fetchFile(source.url, dest, options, options.sha256 ? { sha256: options.sha256 } : {});
      try {
        return { loaded: readWeightsFile(path, load), where: source.url };
      } catch (err) {
        await rm(path, { force: true }); // not a checkpoint: do not keep it
        throw err;
      } finally {
        if (options.cache === false) await rm(path, { force: true });
      }
    }
    case 'hf':
      return readHub(source.repo, source.revision, options, load);
  }
}
