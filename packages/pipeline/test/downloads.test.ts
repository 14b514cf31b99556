// Downloads against a loopback HTTP server: progress, resume, checksum, abort, deadline, size cap,
// wrong architecture, cache hits without network, hub layout.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findVariant } from '@swin/variants';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadWeights, writeSafetensors } from '@swin/weights';
import { downloadBytes } from '../src/download/browser-download.js';
import { cachedWeightsPath, fetchVariant, loadModel, swinCacheDir } from '../src/node/index.js';

const root = join(import.meta.dirname, '../../..');
const WEIGHTS = readFileSync(join(root, 'models/default/weights.safetensors'));
const CLASSES = JSON.parse(readFileSync(join(root, 'models/default/classes.json'), 'utf8')) as string[];
const SHA = createHash('sha256').update(WEIGHTS).digest('hex');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
const seen: { url: string; range: string | undefined }[] = [];
let server: Server;
let base: string;

/** Serves bytes with Range support, as release hosts do. */
function serveBytes(bytes: Uint8Array): Handler {
  return (req, res) => {
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    if (m) res.writeHead(206, { 'content-length': bytes.length - start, 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` });
    else res.writeHead(200, { 'content-length': bytes.length });
    res.end(bytes.subarray(start));
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url!, range: req.headers.range });
    const h = routes.get(req.url!);
    if (h) h(req, res);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

let cacheDir: string;
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'pipeline-cache-'));
  process.env['SWIN_CACHE_DIR'] = cacheDir;
  routes.clear();
  seen.length = 0;
});
afterEach(() => {
  delete process.env['SWIN_CACHE_DIR'];
  rmSync(cacheDir, { recursive: true, force: true });
});

function downloadsLeft(): string[] {
  const d = join(swinCacheDir(), 'downloads');
  return existsSync(d) ? readdirSync(d) : [];
}

describe('URL sources', () => {
  it('reports progress, verifies the sha256, caches, and loads again with the server gone', async () => {
    routes.set('/w.safetensors', serveBytes(WEIGHTS));
    const events: [number, number | undefined][] = [];
    const model = await loadModel(`${base}/w.safetensors`, { backend: 'reference', sha256: SHA, onProgress: (p) => p.phase === 'download' && events.push([p.done, p.total]) });
    expect(model.info.source).toBe(`${base}/w.safetensors`);
    await model.dispose();
    expect(events.at(-1)).toEqual([WEIGHTS.length, WEIGHTS.length]);
    expect(events.every(([d], i) => i === 0 || d >= events[i - 1]![0])).toBe(true);
    routes.clear();
    const again = await loadModel(`${base}/w.safetensors`, { backend: 'reference' });
    expect(seen.filter((s) => s.url === '/w.safetensors')).toHaveLength(1); // the second load did not ask the server
    await again.dispose();
  });

  it('a checksum mismatch is a typed error and leaves nothing in the cache', async () => {
    routes.set('/w.safetensors', serveBytes(WEIGHTS));
    await expect(loadModel(`${base}/w.safetensors`, { backend: 'reference', sha256: '0'.repeat(64) })).rejects.toMatchObject({ code: 'INVALID_FORMAT', message: expect.stringContaining('expected sha256') });
    expect(downloadsLeft()).toEqual([]);
  });

  it('resumes an interrupted download with a Range request', async () => {
    let first = true;
    routes.set('/w.safetensors', (req, res) => {
      if (first) {
        first = false;
        res.writeHead(200, { 'content-length': WEIGHTS.length });
        res.write(WEIGHTS.subarray(0, 100_000), () => res.destroy());
        return;
      }
      serveBytes(WEIGHTS)(req, res);
    });
    await expect(loadModel(`${base}/w.safetensors`, { backend: 'reference' })).rejects.toMatchObject({ code: 'IO_ERROR' });
    const part = downloadsLeft().find((f) => f.endsWith('.part'));
    expect(part).toBeDefined();
    const model = await loadModel(`${base}/w.safetensors`, { backend: 'reference', sha256: SHA });
    await model.dispose();
    const resumed = seen.at(-1)!.range;
    expect(resumed).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(resumed!)![0])).toBeGreaterThan(0);
  });

  it('abort rejects with AbortError and keeps the partial download', async () => {
    routes.set('/slow', (_req, res) => {
      res.writeHead(200, { 'content-length': WEIGHTS.length });
      res.write(WEIGHTS.subarray(0, 50_000)); // then nothing more
    });
    const controller = new AbortController();
    const p = loadModel(`${base}/slow`, { backend: 'reference', signal: controller.signal, onProgress: (e) => e.done > 0 && controller.abort() });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(downloadsLeft().some((f) => f.endsWith('.part'))).toBe(true);
  });

  it('an overall deadline ends a trickling download', async () => {
    routes.set('/trickle', (_req, res) => {
      res.writeHead(200, { 'content-length': 1000 });
      const t = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(t));
    });
    await expect(loadModel(`${base}/trickle`, { backend: 'reference', downloadTimeoutMs: 400 })).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('did not finish within') });
  });

  it('a body with no Content-Length cannot grow past the size cap', async () => {
    routes.set('/endless', (_req, res) => {
      res.writeHead(200); // chunked, no length
      const chunk = Buffer.alloc(64 * 1024);
      const t = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(t));
    });
    await expect(loadModel(`${base}/endless`, { backend: 'reference', maxDownloadBytes: 1_000_000 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(downloadsLeft()).toEqual([]);
  });

  it('refuses an announced size over the cap before reading', async () => {
    routes.set('/w.safetensors', serveBytes(WEIGHTS));
    await expect(loadModel(`${base}/w.safetensors`, { backend: 'reference', maxDownloadBytes: 1000 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', message: expect.stringContaining(`is ${WEIGHTS.length} bytes`) });
  });

  it('a 404 is a typed error', async () => {
    await expect(loadModel(`${base}/missing.pth`, { backend: 'reference' })).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('404') });
  });
});

describe('variants', () => {
  const swinT = findVariant('swin-t');

  it('a file that is not the variant asked for is refused and not cached under its name', async () => {
    routes.set('/fake-swin-t.pth', serveBytes(WEIGHTS));
    await expect(fetchVariant(swinT, { url: `${base}/fake-swin-t.pth` })).rejects.toMatchObject({ code: 'INVALID_FORMAT', message: expect.stringMatching(/is not swin-t-224-1k: .*embed_dim: expected 96, found/) });
    expect(existsSync(cachedWeightsPath(swinT.id))).toBe(false);
    expect(downloadsLeft()).toEqual([]);
  });

  it('a failed refresh (--force) keeps the cached file', async () => {
    const target = cachedWeightsPath(swinT.id);
    mkdirSync(swinCacheDir(), { recursive: true });
    writeFileSync(target, 'the good cached file');
    routes.set('/bad', (_req, res) => res.writeHead(500).end());
    await expect(fetchVariant(swinT, { url: `${base}/bad`, force: true })).rejects.toMatchObject({ code: 'IO_ERROR' });
    routes.set('/fake', serveBytes(WEIGHTS));
    await expect(fetchVariant(swinT, { url: `${base}/fake`, force: true })).rejects.toMatchObject({ code: 'INVALID_FORMAT' });
    expect(readFileSync(target, 'utf8')).toBe('the good cached file');
  });

  it('a URL that is not one is a one-line error, before any request', async () => {
    await expect(fetchVariant(swinT, { url: 'notaurl' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: "download URL: expected an http(s) URL, found 'notaurl'" });
    expect(seen).toEqual([]);
  });

  it('an unknown variant lists the known ones; CrossFormer has no download', async () => {
    await expect(loadModel('swin-z')).rejects.toMatchObject({ message: expect.stringMatching(/swin-z.*swin-t-224-1k.*swinv2-.*crossformer-s/) });
    await expect(loadModel('crossformer-s')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('no downloadable checkpoint for crossformer-s') });
  });
});

describe('hf: sources', () => {
  it('reads resolve/<revision>/config.json + model.safetensors from the hub URL, labels from id2label', async () => {
    const id2label = Object.fromEntries(CLASSES.map((c, i) => [String(i), `hub ${c}`]));
    routes.set('/acme/shapes/resolve/v1/config.json', (_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id2label, image_size: 64 })));
    // the hub's file carries no class names of its own: they come from config.json
    routes.set('/acme/shapes/resolve/v1/model.safetensors', serveBytes(writeSafetensors(loadWeights(WEIGHTS).weights)));
    const model = await loadModel('hf:acme/shapes@v1', { backend: 'reference', hubUrl: base });
    expect(model.info.source).toBe('hf:acme/shapes@v1');
    const [top] = await model.classify(join(root, 'examples/red-circle.jpg'), { topk: 1 });
    expect(top![0]!.label).toBe('hub red circle');
    await model.dispose();
    expect(seen.map((s) => s.url)).toEqual(['/acme/shapes/resolve/v1/config.json', '/acme/shapes/resolve/v1/model.safetensors']);
  });

  it('falls back to pytorch_model.bin only when model.safetensors is missing', async () => {
    routes.set('/acme/none/resolve/main/config.json', (_q, r) => r.writeHead(200).end('{}'));
    await expect(loadModel('hf:acme/none', { backend: 'reference', hubUrl: base })).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('has no weights file') });
    expect(seen.map((s) => s.url)).toEqual(['/acme/none/resolve/main/config.json', '/acme/none/resolve/main/model.safetensors', '/acme/none/resolve/main/pytorch_model.bin']);
  });
});

describe('browser downloader (fetch), run in Node', () => {
  it('progress, checksum, size cap, abort', async () => {
    routes.set('/w.safetensors', serveBytes(WEIGHTS));
    const events: number[] = [];
    const bytes = await downloadBytes(`${base}/w.safetensors`, { maxBytes: 1e9, timeoutMs: 10_000, sha256: SHA, onProgress: (d) => events.push(d) });
    expect(bytes.length).toBe(WEIGHTS.length);
    expect(events.at(-1)).toBe(WEIGHTS.length);
    await expect(downloadBytes(`${base}/w.safetensors`, { maxBytes: 1e9, timeoutMs: 10_000, sha256: 'f'.repeat(64) })).rejects.toMatchObject({ code: 'INVALID_FORMAT' });
    await expect(downloadBytes(`${base}/w.safetensors`, { maxBytes: 10, timeoutMs: 10_000 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    routes.set('/slow', (_req, res) => {
      res.writeHead(200, { 'content-length': 1000 });
      res.write('x');
    });
    const controller = new AbortController();
    const p = downloadBytes(`${base}/slow`, { maxBytes: 1e9, timeoutMs: 10_000, signal: controller.signal, onProgress: (d) => d > 0 && controller.abort() });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
