// Builds a page with Vite (the way an app bundles @swin/pipeline), serves it on 127.0.0.1 with
// extra routes, and opens it in headless Chromium (Debian's, driven by playwright-core). No
// network: only the loopback server is reachable.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.png': 'image/png', '.jpg': 'image/jpeg', '.mjs': 'text/javascript; charset=utf-8' };

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface BrowserPage {
  readonly page: Page;
  /** The page's origin, ending in '/'. */
  readonly base: string;
  /** Routes served beside the built page, by path ('/w.safetensors'). */
  readonly routes: Map<string, Route>;
  /** Every request the server saw, with its Range header. */
  readonly requests: { path: string; range: string | undefined }[];
  /** Errors the page threw or logged. */
  readonly errors: string[];
  /** Everything the page logged, for a failure's message. */
  readonly console: string[];
  close(): Promise<void>;
}

/**
 * Writes `files` (index.html and its modules) into a fresh directory inside the package (so the
 * backend packages, its dev dependencies, resolve as an app's would), builds it with Vite,
 * serves the build, and opens index.html.
 */
export async function openBuiltPage(pkgDir: string, name: string, files: Record<string, string | Uint8Array>): Promise<BrowserPage> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  const dir = join(pkgDir, `.browser-${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, body] of Object.entries(files)) writeFileSync(join(dir, file), body);
  // The page is an app of its own with @swin/pipeline installed (a link to this package): inside
  // the package, its "sideEffects": false would let the bundler drop the page's own modules.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `swin-test-page-${name}`, private: true, type: 'module' }));
  mkdirSync(join(dir, 'node_modules/@swin'), { recursive: true });
  symlinkSync(pkgDir, join(dir, 'node_modules/@swin/pipeline'), 'dir');
  const dist = join(dir, 'dist');
  await build({ root: dir, base: './', logLevel: 'warn', configFile: false, build: { outDir: dist, target: 'es2022', chunkSizeWarningLimit: 8192 }, worker: { format: 'es' } });
  const routes = new Map<string, Route>();
  const requests: BrowserPage['requests'] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push({ path, range: req.headers.range });
    const route = routes.get(path);
    if (route) return route(req, res);
    const file = normalize(join(dist, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (!file.startsWith(dist + sep) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const page = await browser.newPage();
  const errors: string[] = [];
  const logged: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    logged.push(`${m.type()}: ${m.text()}`);
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return {
    page,
    base,
    routes,
    requests,
    errors,
    console: logged,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
