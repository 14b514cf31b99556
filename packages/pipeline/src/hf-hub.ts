import { ConfigError, SwinError } from '@swin/core';

/** The hub's base URL: the option, else $HF_ENDPOINT (as huggingface_hub reads it), else huggingface.co. */
export function hubBaseUrl(option: string | undefined): string {
  const env = typeof process !== 'undefined' ? process.env?.['HF_ENDPOINT'] : undefined;
  return (option ?? env ?? 'https://huggingface.co').replace(/\/+$/, '');
}

/** `resolve/<revision>/<file>` of a repo, the URL transformers.js and timm download from. */
export function hubFileUrl(base: string, repo: string, revision: string, file: string): string {
  return `${base}/${repo}/resolve/${encodeURIComponent(revision)}/${file}`;
}

/** Checkpoint files a Swin repo may hold, safetensors first: it is read without any pickle. */
export const HUB_WEIGHT_FILES = ['model.safetensors', 'pytorch_model.bin'] as const;

/** What a hub config.json tells that weights cannot: class names and (for HF) the input size. */
export interface HubConfig {
  readonly labels: readonly string[] | undefined;
  readonly overrides: Record<string, unknown>;
}

/**
 * Reads a transformers (`id2label`, `image_size`) or timm (`label_names`, `pretrained_cfg.input_size`)
 * config.json.
 */
export function parseHubConfig(text: string, where: string): HubConfig {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`${where}: expected JSON, found a syntax error: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError(`${where}: expected a JSON object`);
  let labels: string[] | undefined;
  const id2label = json['id2label'];
  if (id2label && typeof id2label === 'object') {
    const entries = Object.entries(id2label as Record<string, unknown>);
    labels = [];
    for (const [k, v] of entries) labels[Number(k)] = String(v);
    if (labels.length !== entries.length || labels.some((l) => l === undefined)) throw new ConfigError(`${where}: id2label must number its classes 0..${entries.length - 1}`);
  } else if (Array.isArray(json['label_names'])) {
    labels = (json['label_names'] as unknown[]).map(String);
  }
  const overrides: Record<string, unknown> = {};
  const pretrained = json['pretrained_cfg'] as { input_size?: unknown } | undefined;
  const size = typeof json['image_size'] === 'number' ? json['image_size'] : Array.isArray(pretrained?.input_size) ? (pretrained.input_size as number[])[1] : undefined;
  if (typeof size === 'number') overrides['img_size'] = size;
  return { labels, overrides };
}

/**
 * Tries the repo's weight files in order (safetensors first): only a missing file (HTTP 404) moves
 * on to the next; any other failure (corrupt, aborted, refused) is the answer.
 */
export async function firstHubWeights<T>(repo: string, revision: string, base: string, read: (url: string, file: string) => Promise<T>): Promise<T> {
  const failures: string[] = [];
  for (const file of HUB_WEIGHT_FILES) {
    try {
      return await read(hubFileUrl(base, repo, revision, file), file);
    } catch (err) {
      if (!(err instanceof SwinError && /found 404/.test(err.message))) throw err;
      failures.push(`${file}: HTTP 404`);
    }
  }
  throw new SwinError('IO_ERROR', `hf:${repo}@${revision} has no weights file: ${failures.join('; ')}`);
}
