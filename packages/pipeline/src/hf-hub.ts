import { ConfigError, SwinError, type PreprocessSpec } from '@swin/core';
import {
  HUGGINGFACE_PREPROCESSOR_FILE,
  HUGGINGFACE_WEIGHT_FILES,
  parseHuggingFaceConfig,
  parseHuggingFacePreprocessor,
  parseId2Label,
  type DeclaredConfig,
  type LoadOptions,
} from '@swin/weights';

/** The hub's base URL: the option, else $HF_ENDPOINT (as huggingface_hub reads it), else huggingface.co. */
export function hubBaseUrl(option: string | undefined): string {
  const env = typeof process !== 'undefined' ? process.env?.['HF_ENDPOINT'] : undefined;
  return (option ?? env ?? 'https://huggingface.co').replace(/\/+$/, '');
}

/** `resolve/<revision>/<file>` of a repo, the URL transformers.js and timm download from. */
export function hubFileUrl(base: string, repo: string, revision: string, file: string): string {
  return `${base}/${repo}/resolve/${encodeURIComponent(revision)}/${file}`;
}

/** What a hub config.json tells: class names, and the architecture (transformers) or input size (timm). */
export interface HubConfig {
  readonly labels: readonly string[] | undefined;
  /** Facts the caller's overrides take (timm's pretrained_cfg.input_size as img_size). */
  readonly overrides: Record<string, unknown>;
  /** A transformers config's architecture, checked against the weights (LoadOptions.declared). */
  readonly declared?: DeclaredConfig;
}

/**
 * Reads a hub config.json: a transformers one (it has a `model_type`: `id2label`, `image_size` and
 * the architecture keys, see @swin/weights' parseHuggingFaceConfig), else a timm one (`label_names`,
 * `pretrained_cfg.input_size`) or one with only `id2label` / `image_size` (taken as they are).
 */
export function parseHubConfig(text: string, where: string): HubConfig {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`${where}: expected JSON, found a syntax error: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError(`${where}: expected a JSON object`);
  if ('model_type' in json) {
    const hf = parseHuggingFaceConfig(text, where);
    return { labels: hf.labels, overrides: {}, declared: hf.declared };
  }
  // Without a model_type: timm's fields, or the class names and size of a hand-written config.
  const labels = parseId2Label(json['id2label'], where) ?? (Array.isArray(json['label_names']) ? (json['label_names'] as unknown[]).map(String) : undefined);
  const pretrained = json['pretrained_cfg'] as { input_size?: unknown } | undefined;
  const size = typeof json['image_size'] === 'number' ? json['image_size'] : Array.isArray(pretrained?.input_size) ? (pretrained.input_size as unknown[])[1] : undefined;
  return { labels, overrides: typeof size === 'number' ? { img_size: size } : {} };
}

/** The load options of a hub checkpoint: its config's facts under the caller's overrides. */
export function hubLoadOptions(hub: HubConfig, load: LoadOptions): LoadOptions {
  return { ...load, config: { ...hub.overrides, ...load.config }, ...(hub.declared ? { declared: hub.declared } : {}) };
}

/** True for a download that failed because the file is not in the repo (HTTP 404). */
function isNotFound(err: unknown): boolean {
  return err instanceof SwinError && /found 404/.test(err.message);
}

/** Reads a downloaded file's bytes; a platform caches the file only once this succeeded. */
export type ParseDownload<T> = (bytes: Uint8Array) => T;

/**
 * A transformers repo's preprocessor_config.json as a PreprocessSpec (`download` fetches it, bounded,
 * and hands its bytes to the parser it is given), or undefined when the repo has none (HTTP 404) or
 * is not a transformers one (then nothing is asked for). Any other failure, or a value we do not
 * support, is the answer.
 */
export async function hubPreprocess(
  hub: HubConfig,
  url: string,
  download: (url: string, parse: ParseDownload<PreprocessSpec>) => Promise<PreprocessSpec>,
): Promise<PreprocessSpec | undefined> {
  if (!hub.declared) return undefined;
  try {
    return await download(url, (bytes) => parseHuggingFacePreprocessor(bytes, url));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The URL of a repo's preprocessor_config.json. */
export function hubPreprocessorUrl(base: string, repo: string, revision: string): string {
  return hubFileUrl(base, repo, revision, HUGGINGFACE_PREPROCESSOR_FILE);
}

/**
 * Tries the repo's weight files in order (safetensors first): only a missing file (HTTP 404) moves
 * on to the next; any other failure (corrupt, aborted, refused) is the answer.
 */
export async function firstHubWeights<T>(repo: string, revision: string, base: string, read: (url: string, file: string) => Promise<T>): Promise<T> {
  const failures: string[] = [];
  for (const file of HUGGINGFACE_WEIGHT_FILES) {
    try {
      return await read(hubFileUrl(base, repo, revision, file), file);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      failures.push(`${file}: HTTP 404`);
    }
  }
  throw new SwinError('IO_ERROR', `hf:${repo}@${revision} has no weights file: ${failures.join('; ')}`);
}
