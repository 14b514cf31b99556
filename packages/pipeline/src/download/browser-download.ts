import { SwinError } from '@swin/core';
import { abortError, throwIfAborted } from '../abort.js';
import { DEFAULT_IDLE_TIMEOUT_MS, type DownloadOptions } from './download-options.js';

/** Cache Storage bucket of downloaded checkpoints. */
export const BROWSER_CACHE_NAME = 'swin-pipeline-v1';

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Downloads `url` into memory with fetch: progress, the size cap (announced and actual), an
 * overall deadline and an idle timeout, the sha256 when given. Abort rejects with AbortError.
 */
export async function downloadBytes(url: string, options: DownloadOptions): Promise<Uint8Array> {
  throwIfAborted(options.signal, `download of ${url}`);
  const controller = new AbortController();
  let failure: Error | undefined;
  const fail = (err: Error): void => {
    failure ??= err;
    controller.abort(err);
  };
  const onAbort = (): void => fail(abortError(options.signal, `download of ${url}`));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = setTimeout(() => fail(new SwinError('IO_ERROR', `download of ${url} did not finish within ${Math.round(options.timeoutMs / 1000)} s`)), options.timeoutMs);
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let idle = setTimeout(() => fail(new SwinError('IO_ERROR', `no data from ${url} for ${Math.round(idleMs / 1000)} s`)), idleMs);
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: controller.signal });
    } catch (err) {
      throw failure ?? new SwinError('IO_ERROR', `fetching ${url}: ${(err as Error).message}`);
    }
    if (!res.ok || !res.body) throw new SwinError('IO_ERROR', `fetching ${url}: expected HTTP 200, found ${res.status}`);
    const announced = res.headers.get('content-length');
    const total = announced === null ? undefined : Number(announced);
    if (total !== undefined && total > options.maxBytes) throw new SwinError('LIMIT_EXCEEDED', `download of ${url} is ${total} bytes, over the limit of ${options.maxBytes} (raise maxDownloadBytes to allow it)`);
    const chunks: Uint8Array[] = [];
    let done = 0;
    options.onProgress?.(0, total);
    const reader = res.body.getReader();
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (err) {
        throw failure ?? new SwinError('IO_ERROR', `download of ${url} interrupted after ${done} bytes: ${(err as Error).message}`);
      }
      if (step.done) break;
      clearTimeout(idle);
      idle = setTimeout(() => fail(new SwinError('IO_ERROR', `no data from ${url} for ${Math.round(idleMs / 1000)} s`)), idleMs);
      done += step.value.byteLength;
      if (done > options.maxBytes) {
        await reader.cancel();
        throw new SwinError('LIMIT_EXCEEDED', `download of ${url} grew past the limit of ${options.maxBytes} bytes`);
      }
      chunks.push(step.value);
      options.onProgress?.(done, total);
    }
    if (failure) throw failure;
    if (total !== undefined && done !== total) throw new SwinError('IO_ERROR', `download of ${url} is incomplete: expected ${total} bytes, found ${done}`);
    const bytes = new Uint8Array(done);
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.byteLength;
    }
    if (options.sha256) {
      const digest = await sha256Hex(bytes);
      if (digest !== options.sha256.toLowerCase()) throw new SwinError('INVALID_FORMAT', `download of ${url} is corrupt: expected sha256 ${options.sha256}, found ${digest}`);
    }
    return bytes;
  } finally {
    clearTimeout(deadline);
    clearTimeout(idle);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Cache Storage where the platform has it (pages and workers on https or localhost); else no cache. */
async function openCache(): Promise<Cache | undefined> {
  try {
    return typeof caches === 'undefined' ? undefined : await caches.open(BROWSER_CACHE_NAME);
  } catch {
    return undefined;
  }
}

/** A cached download, or undefined. */
export async function cachedBytes(key: string): Promise<Uint8Array | undefined> {
  const cache = await openCache();
  const hit = await cache?.match(key);
  return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined;
}

/** Stores verified bytes under `key` (call only after the content was checked). */
export async function storeBytes(key: string, bytes: Uint8Array): Promise<void> {
  const cache = await openCache();
  await cache?.put(key, new Response(bytes as BodyInit, { headers: { 'content-length': String(bytes.byteLength) } }));
}
