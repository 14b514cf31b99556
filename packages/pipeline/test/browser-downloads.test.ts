// In headless Chromium, from a page bundled with Vite as an app bundles @swin/pipeline,
// downloads resume: a connection dropped halfway keeps the received part in Cache Storage and
// the next attempt asks for the rest with Range (checked against Content-Range and ETag); a server
// that ignores Range, or whose file changed, is downloaded in full; an abort keeps the part too;
// once verified, the file loads from Cache Storage without the server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/node/index.js';
import { openBuiltPage, type BrowserPage, type Route } from './browser/chromium-page.js';

const PKG = join(import.meta.dirname, '..');
const ROOT = join(PKG, '../..');
const WEIGHTS = readFileSync(join(ROOT, 'models/default/weights.safetensors'));
const PIXELS = { width: 40, height: 24, channels: 3 as const, data: Uint8Array.from({ length: 40 * 24 * 3 }, (_, i) => (i * 37) % 256) };

const MAIN = `import * as pipeline from '@swin/pipeline';
window.pipeline = pipeline;
document.body.dataset.ready = 'true';
`;

/** Serves `bytes` like a release host (ETag, Range); the first `drops` full requests stop halfway; `stallFirst` keeps the first open instead. */
function flakyFile(bytes: Uint8Array, options: { drops?: number; ignoreRange?: boolean; etags?: string[]; stallFirst?: boolean }): Route {
  let attempt = 0;
  const half = Math.floor(bytes.length / 2);
  return (req, res) => {
    const etag = options.etags?.[Math.min(attempt, options.etags.length - 1)] ?? '"v1"';
    attempt++;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m && !options.ignoreRange) {
      const start = Number(m[1]);
      res.writeHead(206, { 'content-length': bytes.length - start, 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}`, etag, 'accept-ranges': 'bytes' });
      res.end(bytes.subarray(start));
      return;
    }
    res.writeHead(200, { 'content-length': bytes.length, etag, 'accept-ranges': 'bytes' });
    if (attempt === 1 && options.stallFirst) return void res.write(bytes.subarray(0, half));
    if (attempt <= (options.drops ?? 0)) {
      res.write(bytes.subarray(0, half), () => setTimeout(() => res.destroy(), 100));
      return;
    }
    res.end(bytes);
  };
}

type LoadOutcome = { ok: true; label: string; score: number; backend: string } | { ok: false; name: string; code?: string; message: string };

/** loadModel(url) in the page on the reference backend, then one classify of PIXELS. */
function loadInPage(p: BrowserPage, path: string, abortAtHalf = false): Promise<LoadOutcome> {
  return p.page.evaluate(
    async ([url, pixels, abortAt]) => {
      const { loadModel } = (window as unknown as { pipeline: typeof import('../src/index.js') }).pipeline;
      const controller = new AbortController();
      try {
        const model = await loadModel(url, {
          backend: 'reference',
          signal: controller.signal,
          onProgress: (e) => {
            if (abortAt && e.phase === 'download' && e.done >= abortAt) controller.abort();
          },
        });
        const top = (await model.classify({ ...pixels, data: new Uint8Array(pixels.data) }, { topk: 1 }))[0]![0]!;
        await model.dispose();
        return { ok: true as const, label: top.label, score: top.score, backend: model.info.backend };
      } catch (e) {
        const err = e as Error & { code?: string };
        return { ok: false as const, name: err.name, code: err.code, message: err.message };
      }
    },
    [new URL(path, p.base).href, { ...PIXELS, data: Array.from(PIXELS.data) }, abortAtHalf ? Math.floor(WEIGHTS.length / 2) : 0] as const,
  );
}

/** Bytes kept for `path` in the pipeline's partial-download cache (0: none). */
function partialBytes(p: BrowserPage, path: string): Promise<number> {
  return p.page.evaluate(async (url) => {
    const hit = await (await caches.open('swin-pipeline-partial-v1')).match(url);
    return hit ? (await hit.arrayBuffer()).byteLength : 0;
  }, new URL(path, p.base).href);
}

describe('browser downloads (Chromium)', () => {
  let p: BrowserPage;
  let expected: { label: string; score: number };

  beforeAll(async () => {
    p = await openBuiltPage(PKG, 'downloads', {
      'index.html': '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><script type="module" src="./main.js"></script></body></html>',
      'main.js': MAIN,
    });
    const node = await loadModel(new Uint8Array(WEIGHTS), { backend: 'reference' });
    const top = (await node.classify(PIXELS, { topk: 1 }))[0]![0]!;
    expected = { label: top.label, score: top.score };
    await node.dispose();
    await p.page.goto(p.base);
    await p.page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  }, 240_000);
  afterAll(() => p?.close());

  it('a connection dropped halfway resumes with Range; then Cache Storage serves it without the server', async () => {
    p.routes.set('/flaky.safetensors', flakyFile(WEIGHTS, { drops: 1 }));
    const first = await loadInPage(p, 'flaky.safetensors');
    expect(first).toMatchObject({ ok: false, code: 'IO_ERROR' });
    const kept = await partialBytes(p, 'flaky.safetensors');
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(WEIGHTS.length);
    const second = await loadInPage(p, 'flaky.safetensors');
    expect(second).toEqual({ ok: true, ...expected, backend: 'reference' });
    const ranges = p.requests.filter((r) => r.path === '/flaky.safetensors').map((r) => r.range);
    expect(ranges).toEqual([undefined, `bytes=${kept}-`]);
    expect(await partialBytes(p, 'flaky.safetensors')).toBe(0);
    // verified and cached: no request reaches the server (it no longer serves the file)
    p.routes.delete('/flaky.safetensors');
    expect(await loadInPage(p, 'flaky.safetensors')).toEqual({ ok: true, ...expected, backend: 'reference' });
    expect(p.requests.filter((r) => r.path === '/flaky.safetensors')).toHaveLength(2);
  });

  it('a server that ignores Range, or whose file changed (ETag), is downloaded again in full', async () => {
    p.routes.set('/norange.safetensors', flakyFile(WEIGHTS, { drops: 1, ignoreRange: true }));
    expect(await loadInPage(p, 'norange.safetensors')).toMatchObject({ ok: false, code: 'IO_ERROR' });
    expect(await loadInPage(p, 'norange.safetensors')).toEqual({ ok: true, ...expected, backend: 'reference' });
    p.routes.set('/changed.safetensors', flakyFile(WEIGHTS, { drops: 1, etags: ['"v1"', '"v2"'] }));
    expect(await loadInPage(p, 'changed.safetensors')).toMatchObject({ ok: false, code: 'IO_ERROR' });
    expect(await loadInPage(p, 'changed.safetensors')).toEqual({ ok: true, ...expected, backend: 'reference' });
    const changed = p.requests.filter((r) => r.path === '/changed.safetensors').map((r) => r.range);
    // the 206 of another version is dropped, and the file fetched from its first byte
    expect(changed).toHaveLength(3);
    expect(changed[1]).toMatch(/^bytes=\d+-$/);
    expect(changed[2]).toBeUndefined();
  });

  it('an abort rejects with AbortError and keeps the part; the next load resumes it', async () => {
    p.routes.set('/slow.safetensors', flakyFile(WEIGHTS, { stallFirst: true }));
    const aborted = await loadInPage(p, 'slow.safetensors', true);
    expect(aborted).toMatchObject({ ok: false, name: 'AbortError' });
    const kept = await partialBytes(p, 'slow.safetensors');
    expect(kept).toBeGreaterThan(0);
    expect(await loadInPage(p, 'slow.safetensors')).toEqual({ ok: true, ...expected, backend: 'reference' });
    expect(p.requests.filter((r) => r.path === '/slow.safetensors').map((r) => r.range)).toEqual([undefined, `bytes=${kept}-`]);
  });
  // (the console's failed-resource lines are the dropped connections themselves)
  it('no uncaught error in the page', () => expect(p.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]));
});
