// Headless Chromium with WebGPU on SwiftShader, driven by playwright-core, serving a page from
// 127.0.0.1. Chromium comes from Debian's package; a missing binary or adapter fails loudly.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where Debian's chromium package puts the browser; SWIN_CHROMIUM (or CHROMIUM_PATH, which the web e2e test took) overrides. */
export function chromiumPath(): string {
  const candidates = [process.env['SWIN_CHROMIUM'], process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`Chromium not found (looked at ${candidates.join(', ')}): install Debian's package with 'apt-get update && apt-get install -y chromium', or set SWIN_CHROMIUM to a Chromium binary`);
  }
  return found;
}

/** Flags that give headless Chromium a WebGPU adapter without a GPU (SwiftShader) and keep it offline. */
export const CHROMIUM_WEBGPU_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A running page server: routes are exact paths to bytes, plus a read-only directory mount. */
export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

/** MIME type by extension: module scripts and wasm must be served as what they are. */
function contentType(file: string): string {
  if (/\.m?js$/.test(file)) return 'text/javascript';
  if (file.endsWith('.wasm')) return 'application/wasm';
  if (file.endsWith('.json')) return 'application/json';
  return 'application/octet-stream';
}

/** Serves `routes` and files under `mounts[prefix]` on 127.0.0.1 (an ephemeral port). */
export async function servePage(routes: Record<string, { type: string; body: string | Uint8Array }>, mounts: Record<string, string> = {}): Promise<PageServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const route = routes[path];
    if (route) {
      res.writeHead(200, { 'content-type': route.type });
      res.end(route.body);
      return;
    }
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!path.startsWith(prefix)) continue;
      const rel = normalize(path.slice(prefix.length));
      if (rel.startsWith('..')) break;
      const file = join(dir, rel);
      if (!existsSync(file)) break;
      res.writeHead(200, { 'content-type': contentType(file) });
      res.end(readFileSync(file));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A launched browser with a fresh profile; close() removes the profile. */
export interface WebGpuBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** Launches headless Chromium with WebGPU flags and a fresh user-data-dir. */
export async function launchWebGpuChromium(): Promise<WebGpuBrowser> {
  const executablePath = chromiumPath();
  const userDataDir = mkdtempSync(join(tmpdir(), 'swin-webgpu-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: CHROMIUM_WEBGPU_FLAGS });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(0);
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
