import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { SwinError } from '@swin/core';

/** Download progress: bytes so far and total (undefined when the server does not say). */
export type DownloadProgress = (done: number, total: number | undefined) => void;

interface ResponseInfo {
  readonly res: http.IncomingMessage;
  readonly url: string;
}

const MAX_REDIRECTS = 5;

function request(url: string, headers: Record<string, string>, redirects = 0): Promise<ResponseInfo> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : url.startsWith('http:') ? http : undefined;
    if (!client) {
      reject(new SwinError('INVALID_ARGUMENT', `download URL must be http(s), found '${url}'`));
      return;
    }
    const req = client.get(url, { headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) {
          reject(new SwinError('IO_ERROR', `too many redirects fetching ${url}`));
          return;
        }
        resolve(request(new URL(res.headers.location, url).toString(), headers, redirects + 1));
        return;
      }
      resolve({ res, url });
    });
    req.setTimeout(60_000, () => req.destroy(new SwinError('IO_ERROR', `no data from ${url} for 60 s`)));
    req.on('error', (err) => reject(err instanceof SwinError ? err : new SwinError('IO_ERROR', `fetching ${url}: ${err.message}`, { cause: err })));
  });
}

/** Total size from a 206 Content-Range (bytes a-b/total) or a 200 Content-Length. */
function totalSize(res: http.IncomingMessage, offset: number): number | undefined {
  const range = res.headers['content-range'];
  if (range) {
    const m = /\/(\d+)$/.exec(range);
    if (m) return Number(m[1]);
  }
  const len = res.headers['content-length'];
  return len === undefined ? undefined : Number(len) + offset;
}

/**
 * Downloads `url` to `dest`, resuming from `dest.part` when an earlier download was interrupted
 * (HTTP Range). The finished file is checked against the size the server announced and, when
 * given, a sha256; only then is it renamed to `dest`. A mismatch deletes the partial file.
 */
export async function downloadWithResume(url: string, dest: string, options: { sha256?: string; onProgress?: DownloadProgress } = {}): Promise<void> {
  const part = `${dest}.part`;
  const have = await stat(part).then((s) => s.size, () => 0);
  const { res } = await request(url, have > 0 ? { Range: `bytes=${have}-` } : {});
  const status = res.statusCode ?? 0;
  let offset = 0;
  if (status === 206) offset = have;
  else if (status === 416 && have > 0) {
    // The partial file is already complete (or larger than the resource): start over to be sure.
    res.resume();
    await rm(part, { force: true });
    return downloadWithResume(url, dest, options);
  } else if (status !== 200) {
    res.resume();
    throw new SwinError('IO_ERROR', `fetching ${url}: expected HTTP 200 or 206, found ${status}`);
  }
  const total = totalSize(res, offset);
  let done = offset;
  const out = createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' });
  await new Promise<void>((resolve, reject) => {
    res.on('data', (chunk: Buffer) => {
      done += chunk.length;
      options.onProgress?.(done, total);
    });
    res.on('error', reject);
    res.on('aborted', () => reject(new SwinError('IO_ERROR', `connection to ${url} closed after ${done} bytes; run the command again to resume`)));
    out.on('error', reject);
    out.on('finish', resolve);
    res.pipe(out);
  }).catch((err: unknown) => {
    out.destroy();
    throw err instanceof SwinError ? err : new SwinError('IO_ERROR', `download of ${url} interrupted after ${done} bytes: ${String(err)}; run the command again to resume`);
  });
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
}

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
