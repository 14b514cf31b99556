import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { dirname } from 'node:path';
import { SwinError } from '@swin/core';
import { abortError, throwIfAborted } from '../abort.js';
import { DEFAULT_IDLE_TIMEOUT_MS, type DownloadOptions } from './download-options.js';

const MAX_REDIRECTS = 5;

/** Checks a download URL: http(s) only, one-line error otherwise. */
export function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SwinError('INVALID_ARGUMENT', `download URL: expected an http(s) URL, found '${url}'`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new SwinError('INVALID_ARGUMENT', `download URL: expected an http(s) URL, found '${url}'`);
  return parsed;
}

/** GET with redirects; every request is destroyed by `cancel` (abort, deadline). */
function request(url: string, headers: Record<string, string>, track: (req: http.ClientRequest) => void, idleMs: number, redirects = 0): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = parseHttpUrl(url).protocol === 'https:' ? https : http;
    const req = client.get(url, { headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) return reject(new SwinError('IO_ERROR', `too many redirects fetching ${url}`));
        return resolve(request(new URL(res.headers.location, url).toString(), headers, track, idleMs, redirects + 1));
      }
      resolve(res);
    });
    track(req);
    req.setTimeout(idleMs, () => req.destroy(new SwinError('IO_ERROR', `no data from ${url} for ${Math.round(idleMs / 1000)} s`)));
    req.on('error', (err) => reject(err instanceof SwinError || err.name === 'AbortError' ? err : new SwinError('IO_ERROR', `fetching ${url}: ${err.message}`, { cause: err })));
  });
}

/** Total size from a 206 Content-Range (bytes a-b/total) or a 200 Content-Length. */
function totalSize(res: http.IncomingMessage, offset: number): number | undefined {
  const range = res.headers['content-range'];
  const m = range ? /\/(\d+)$/.exec(range) : null;
  if (m) return Number(m[1]);
  const len = res.headers['content-length'];
  return len === undefined ? undefined : Number(len) + offset;
}

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Downloads `url` to `dest`, resuming from `dest.part` (HTTP Range) when an earlier download
 * stopped. Bounded: an overall deadline, an idle timeout, a size cap; abortable (the `.part` stays
 * for resuming). The file is checked against the announced size and the sha256 when given, and
 * only then renamed to `dest` (so `dest` is never half-written, and an existing `dest` survives
 * any failure). A checksum mismatch or an oversized body deletes the `.part`.
 */
export async function downloadToFile(url: string, dest: string, options: DownloadOptions): Promise<void> {
  parseHttpUrl(url);
  throwIfAborted(options.signal, `download of ${url}`);
  await mkdir(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const have = await stat(part).then((s) => s.size, () => 0);
  const requests: http.ClientRequest[] = [];
  let failure: Error | undefined;
  const cancel = (err: Error): void => {
    failure ??= err;
    for (const r of requests) r.destroy(err);
  };
  const onAbort = (): void => cancel(abortError(options.signal, `download of ${url}`));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = setTimeout(() => cancel(new SwinError('IO_ERROR', `download of ${url} did not finish within ${Math.round(options.timeoutMs / 1000)} s; run the command again to resume`)), options.timeoutMs);
  try {
    const res = await request(url, have > 0 ? { Range: `bytes=${have}-` } : {}, (r) => requests.push(r), options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    const status = res.statusCode ?? 0;
    let offset = 0;
    if (status === 206) offset = have;
    else if (status === 416 && have > 0) {
      // The partial file is already complete (or larger than the resource): start over to be sure.
      res.resume();
      await rm(part, { force: true });
      return await downloadToFile(url, dest, options);
    } else if (status !== 200) {
      res.resume();
      throw new SwinError('IO_ERROR', `fetching ${url}: expected HTTP 200 or 206, found ${status}`);
    }
    const total = totalSize(res, offset);
    if (total !== undefined && total > options.maxBytes) {
      res.resume();
      throw new SwinError('LIMIT_EXCEEDED', `download of ${url} is ${total} bytes, over the limit of ${options.maxBytes} (raise maxDownloadBytes / --max-bytes to allow it)`);
    }
    let done = offset;
    options.onProgress?.(done, total);
    const out = createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' });
    try {
      await new Promise<void>((resolve, reject) => {
        res.on('data', (chunk: Buffer) => {
          done += chunk.length;
          if (done > options.maxBytes) {
            cancel(new SwinError('LIMIT_EXCEEDED', `download of ${url} grew past the limit of ${options.maxBytes} bytes (the server announced ${total ?? 'no size'})`));
            return;
          }
          options.onProgress?.(done, total);
        });
        res.on('error', reject);
        res.on('aborted', () => reject(failure ?? new SwinError('IO_ERROR', `connection to ${url} closed after ${done} bytes; run the command again to resume`)));
        res.on('close', () => {
          if (failure) reject(failure);
        });
        out.on('error', reject);
        out.on('finish', resolve);
        res.pipe(out);
      });
    } catch (err) {
      // Keep every byte received so far (the .part is what the next attempt resumes from).
      res.unpipe(out);
      if (!out.destroyed) await new Promise<void>((r) => out.end(() => r()));
      const e = failure ?? err;
      if (e instanceof SwinError && e.code === 'LIMIT_EXCEEDED') await rm(part, { force: true });
      throw e instanceof SwinError || (e as Error).name === 'AbortError' ? e : new SwinError('IO_ERROR', `download of ${url} interrupted after ${done} bytes: ${String(e)}; run the command again to resume`);
    }
    if (failure) throw failure;
    const size = (await stat(part)).size;
    if (total !== undefined && size !== total) {
      if (size > total) await rm(part, { force: true });
      throw new SwinError('IO_ERROR', `download of ${url} is incomplete: expected ${total} bytes, found ${size}; run the command again to resume`);
    }
    if (options.sha256) {
      const digest = await sha256File(part);
      if (digest !== options.sha256.toLowerCase()) {
        await rm(part, { force: true });
        throw new SwinError('INVALID_FORMAT', `download of ${url} is corrupt: expected sha256 ${options.sha256}, found ${digest}`);
      }
    }
    await rename(part, dest);
  } catch (err) {
    throw failure ?? err;
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
