import { SwinError } from '@swin/core';
import { abortError, throwIfAborted } from '../abort.js';
import { DEFAULT_IDLE_TIMEOUT_MS, type DownloadOptions } from './download-options.js';

/** Cache Storage bucket of downloaded checkpoints. */
export const BROWSER_CACHE_NAME = 'swin-pipeline-v1';

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Cache Storage bucket of the received part of interrupted downloads (never read as a checkpoint). */
export const BROWSER_PARTIAL_CACHE_NAME = 'swin-pipeline-partial-v1';

/** The received start of an interrupted download, and what identified the file then. */
interface PartialDownload {
  readonly bytes: Uint8Array;
  readonly total: number;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

const PARTIAL_TOTAL = 'x-swin-total';
const PARTIAL_ETAG = 'x-swin-etag';
const PARTIAL_LAST_MODIFIED = 'x-swin-last-modified';

async function openNamedCache(name: string): Promise<Cache | undefined> {
  try {
    return typeof caches === 'undefined' ? undefined : await caches.open(name);
  } catch {
    return undefined;
  }
}

async function readPartial(url: string): Promise<PartialDownload | undefined> {
  try {
    const hit = await (await openNamedCache(BROWSER_PARTIAL_CACHE_NAME))?.match(url);
    const total = Number(hit?.headers.get(PARTIAL_TOTAL));
    if (!hit || !(total > 0)) return undefined;
    const bytes = new Uint8Array(await hit.arrayBuffer());
    return bytes.byteLength > 0 && bytes.byteLength < total ? { bytes, total, etag: hit.headers.get(PARTIAL_ETAG), lastModified: hit.headers.get(PARTIAL_LAST_MODIFIED) } : undefined;
  } catch {
    return undefined;
  }
}

async function storePartial(url: string, part: PartialDownload): Promise<void> {
  const headers: Record<string, string> = { [PARTIAL_TOTAL]: String(part.total) };
  if (part.etag) headers[PARTIAL_ETAG] = part.etag;
  if (part.lastModified) headers[PARTIAL_LAST_MODIFIED] = part.lastModified;
  try {
    await (await openNamedCache(BROWSER_PARTIAL_CACHE_NAME))?.put(url, new Response(part.bytes as BodyInit, { headers }));
  } catch {
    // No room or no Cache Storage: the next attempt starts from the beginning.
  }
}

async function dropPartial(url: string): Promise<void> {
  try {
    await (await openNamedCache(BROWSER_PARTIAL_CACHE_NAME))?.delete(url);
  } catch {
    // nothing stored
  }
}

/**
 * Whether a 206 continues `partial`: Content-Range starts where it stopped and has the same total,
 * and the validators the server gave then (ETag, Last-Modified) are unchanged. Cross-origin
 * servers that do not expose Content-Range fail this check and are downloaded again in full.
 */
function continuesPartial(res: Response, partial: PartialDownload): boolean {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
  if (!m || Number(m[1]) !== partial.bytes.byteLength || Number(m[3]) !== partial.total) return false;
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (partial.etag && etag !== partial.etag) return false;
  if (!partial.etag && partial.lastModified && lastModified !== partial.lastModified) return false;
  return true;
}

/**
 * Downloads `url` into memory with fetch: progress, the size cap (announced and actual), an
 * overall deadline and an idle timeout, the sha256 when given. Abort rejects with AbortError.
 * Resumable: an interrupted download (network error, abort, timeout) keeps what it received in
 * Cache Storage, and the next attempt asks for the rest with a `Range` request (a CORS-safelisted
 * header, so no preflight). It continues only when the 206's Content-Range and validators match
 * what was kept; a server that ignores Range (200) is downloaded in full, as is any mismatch.
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
  const deadline = setTimeout(() => fail(new SwinError('IO_ERROR', `download of ${url} did not finish within ${Math.round(options.timeoutMs / 1000)} s; try again to resume`)), options.timeoutMs);
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let idle = setTimeout(() => fail(new SwinError('IO_ERROR', `no data from ${url} for ${Math.round(idleMs / 1000)} s`)), idleMs);
  const get = async (headers: Record<string, string>): Promise<Response> => {
    try {
      // no-store: the browser's HTTP cache would keep a second copy, and completes truncated entries with range requests of its own.
      return await fetch(url, { signal: controller.signal, headers, cache: 'no-store' });
    } catch (err) {
      throw failure ?? new SwinError('IO_ERROR', `fetching ${url}: ${(err as Error).message}`);
    }
  };
  // What is kept if this attempt stops: the part that was resumed plus what arrived since.
  let resumable: { chunks: Uint8Array[]; done: number; total: number; etag: string | null; lastModified: string | null } | undefined;
  try {
    const partial = await readPartial(url);
    let res = await get(partial ? { Range: `bytes=${partial.bytes.byteLength}-` } : {});
    let offset = 0;
    if (partial && res.status === 206 && continuesPartial(res, partial)) offset = partial.bytes.byteLength;
    else if (partial && res.status !== 200) {
      // 416, or a 206 that is not the rest of what was kept: start again from the first byte.
      await res.body?.cancel();
      await dropPartial(url);
      res = await get({});
    }
    if (!res.ok || !res.body) throw new SwinError('IO_ERROR', `fetching ${url}: expected HTTP 200, found ${res.status}`);
    const announced = res.headers.get('content-length');
    const total = announced === null ? undefined : Number(announced) + offset;
    if (total !== undefined && total > options.maxBytes) throw new SwinError('LIMIT_EXCEEDED', `download of ${url} is ${total} bytes, over the limit of ${options.maxBytes} (raise maxDownloadBytes to allow it)`);
    const chunks: Uint8Array[] = offset > 0 ? [partial!.bytes] : [];
    let done = offset;
    if (total !== undefined) resumable = { chunks, done, total, etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') };
    options.onProgress?.(done, total);
    const reader = res.body.getReader();
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (err) {
        throw failure ?? new SwinError('IO_ERROR', `download of ${url} interrupted after ${done} bytes: ${(err as Error).message}; try again to resume`);
      }
      if (step.done) break;
      clearTimeout(idle);
      idle = setTimeout(() => fail(new SwinError('IO_ERROR', `no data from ${url} for ${Math.round(idleMs / 1000)} s`)), idleMs);
      done += step.value.byteLength;
      if (done > options.maxBytes) {
        resumable = undefined;
        await reader.cancel();
        throw new SwinError('LIMIT_EXCEEDED', `download of ${url} grew past the limit of ${options.maxBytes} bytes`);
      }
      chunks.push(step.value);
      if (resumable) resumable.done = done;
      options.onProgress?.(done, total);
    }
    if (failure) throw failure;
    if (total !== undefined && done !== total) throw new SwinError('IO_ERROR', `download of ${url} is incomplete: expected ${total} bytes, found ${done}; try again to resume`);
    // Complete: whatever happens next (a checksum mismatch included), there is nothing to resume.
    resumable = undefined;
    await dropPartial(url);
    const bytes = concatChunks(chunks, done);
    if (options.sha256) {
      const digest = await sha256Hex(bytes);
      if (digest !== options.sha256.toLowerCase()) throw new SwinError('INVALID_FORMAT', `download of ${url} is corrupt: expected sha256 ${options.sha256}, found ${digest}`);
    }
    return bytes;
  } catch (err) {
    // Interrupted with a known size: keep what arrived for the next attempt.
    if (resumable && resumable.done > 0 && resumable.done < resumable.total) {
      await storePartial(url, { bytes: concatChunks(resumable.chunks, resumable.done), total: resumable.total, etag: resumable.etag, lastModified: resumable.lastModified });
    }
    throw err;
  } finally {
    clearTimeout(deadline);
    clearTimeout(idle);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function concatChunks(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const [first] = chunks;
  if (chunks.length === 1 && first?.byteLength === length) return first;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return bytes;
}

/** Cache Storage where the platform has it (pages and workers on https or localhost); else no cache. */
function openCache(): Promise<Cache | undefined> {
  return openNamedCache(BROWSER_CACHE_NAME);
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
