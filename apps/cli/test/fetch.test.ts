import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomSwinV1Weights, type SwinV1Config } from '@swin/core';
import { findVariant } from '@swin/variants';
import { writeSafetensors } from '@swin/weights';
import { FIXTURES, swinAsync, tempDir } from './cli-helpers.js';

// A small official-format checkpoint (35k parameters: no released variant), and a file with swin-t's
// real architecture (random weights) for the download that must succeed.
const CHECKPOINT = readFileSync(join(FIXTURES, 'schemes/official.pth'));
let SWIN_T: Uint8Array;

/** A loopback server: /ok.pth serves the fixture with Range support, /flaky.pth cuts the first transfer halfway, /corrupt.pth serves noise. */
let server: Server;
let base = '';
const seenRanges: string[] = [];
let flakyCalls = 0;

beforeAll(async () => {
  SWIN_T = writeSafetensors(randomSwinV1Weights(findVariant('swin-t').config as SwinV1Config, 3));
  server = createServer((req, res) => {
    if (req.url === '/missing.pth') {
      res.writeHead(404).end();
      return;
    }
    const body = req.url === '/corrupt.pth' ? Buffer.alloc(CHECKPOINT.length, 7) : req.url === '/swin-t.safetensors' ? SWIN_T : CHECKPOINT;
    const range = req.headers.range;
    if (range) seenRanges.push(`${req.url} ${range}`);
    const m = range ? /^bytes=(\d+)-$/.exec(range) : null;
    const start = m ? Number(m[1]) : 0;
    const headers = { 'Content-Length': String(body.length - start), ...(m ? { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}) };
    res.writeHead(m ? 206 : 200, headers);
    if (req.url === '/flaky.pth' && flakyCalls++ === 0) {
      res.write(body.subarray(start, start + Math.floor(body.length / 2)));
      setTimeout(() => res.destroy(), 50); // the connection drops mid-transfer
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('swin fetch (against a server on 127.0.0.1)', () => {
  it('downloads, converts and caches; --weights swin-t then resolves through the cache', async () => {
    const cache = tempDir();
    const r = await swinAsync(['fetch', 'swin-t', '--url', `${base}/swin-t.safetensors`], { SWIN_CACHE_DIR: cache });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(cache, 'swin-t-224-1k.safetensors'))).toBe(true);
    expect(readdirSync(join(cache, 'downloads'))).toEqual([]);
    const info = await swinAsync(['info', 'swin-t', '--json'], { SWIN_CACHE_DIR: cache });
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout).parameters).toBe(28288354);
    const again = await swinAsync(['fetch', 'swin-t', '--url', `${base}/swin-t.safetensors`], { SWIN_CACHE_DIR: cache });
    expect(again.stdout).toMatch(/already cached/);
  });

  it('resumes an interrupted download with an HTTP Range request', async () => {
    const cache = tempDir();
    const first = await swinAsync(['fetch', 'swin-s', '--url', `${base}/flaky.pth`], { SWIN_CACHE_DIR: cache });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/run the command again to resume/);
    expect(existsSync(join(cache, 'swin-s-224-1k.safetensors'))).toBe(false);
    const partial = readdirSync(join(cache, 'downloads'));
    expect(partial).toHaveLength(1);
    expect(partial[0]).toMatch(/-flaky\.pth\.part$/);
    // the resumed file is complete, and refused: it is not swin-s (nothing cached under that name)
    const second = await swinAsync(['fetch', 'swin-s', '--url', `${base}/flaky.pth`], { SWIN_CACHE_DIR: cache });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/is not swin-s-224-1k: .*embed_dim: expected 96/);
    expect(seenRanges.some((r) => r.startsWith('/flaky.pth bytes=') && !r.endsWith('bytes=0-'))).toBe(true);
    expect(existsSync(join(cache, 'swin-s-224-1k.safetensors'))).toBe(false);
  });

  it('leaves no cache entry for a corrupt download', async () => {
    const cache = tempDir();
    const r = await swinAsync(['fetch', 'swin-b', '--url', `${base}/corrupt.pth`], { SWIN_CACHE_DIR: cache });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/INVALID_FORMAT/);
    expect(readdirSync(cache).filter((f) => f !== 'downloads')).toEqual([]);
    expect(readdirSync(join(cache, 'downloads'))).toEqual([]);
  });

  it('fails clearly on HTTP errors and unknown variants', async () => {
    const cache = tempDir();
    const r = await swinAsync(['fetch', 'swin-t', '--url', `${base}/missing.pth`], { SWIN_CACHE_DIR: cache });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/expected HTTP 200 or 206, found 404/);
    const u = await swinAsync(['fetch', 'swin-q'], { SWIN_CACHE_DIR: cache });
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown variant 'swin-q'/);
    const missing = await swinAsync(['info', 'swin-b'], { SWIN_CACHE_DIR: cache });
    expect(missing.stderr).toMatch(/not cached.*run swin fetch swin-b/);
    const notUrl = await swinAsync(['fetch', 'swin-t', '--url', 'notaurl'], { SWIN_CACHE_DIR: cache });
    expect(notUrl.code).toBe(1);
    expect(notUrl.stderr.trim()).toBe("swin: error [INVALID_ARGUMENT]: download URL: expected an http(s) URL, found 'notaurl'");
  });
});
