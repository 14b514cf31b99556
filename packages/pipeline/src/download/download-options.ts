import type { LoadModelOptions } from '../types.js';

/** How one download is bounded and checked. */
export interface DownloadOptions {
  /** Expected sha256 (hex); a mismatch deletes the file and is an error. */
  readonly sha256?: string;
  /** Largest accepted size in bytes: a bigger announced size is refused before reading, a body growing past it is cut off. */
  readonly maxBytes: number;
  /** Overall deadline in ms, however slowly bytes trickle in. */
  readonly timeoutMs: number;
  /** No byte for this long (ms) fails the download. */
  readonly idleTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number | undefined) => void;
}

/** Defaults: 4 GiB, 30 minutes overall, 60 s idle. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 4 * 1024 ** 3;
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 30 * 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/**
 * The size cap for a checkpoint of `parameters` float32 weights: the weights, plus room for the
 * derived buffers (attention masks, index tables) and pickle framing official files carry.
 */
export function checkpointSizeCap(parameters: number): number {
  return Math.ceil(parameters * 4 * 1.5) + 256 * 1024 ** 2;
}

/** The bounds and progress callback of one download, from loadModel's options. */
export function downloadOptionsFor(options: Pick<LoadModelOptions, 'maxDownloadBytes' | 'downloadTimeoutMs' | 'signal' | 'onProgress'>, url: string, extra: Partial<DownloadOptions> = {}): DownloadOptions {
  return {
    maxBytes: options.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES,
    timeoutMs: options.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: (done: number, total: number | undefined) => options.onProgress!({ phase: 'download', done, total, label: url }) } : {}),
    ...extra,
  };
}
