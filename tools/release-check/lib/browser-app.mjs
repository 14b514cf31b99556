// Serves a built browser app on 127.0.0.1 and opens one page in headless Chromium (Debian's, with
// SwiftShader as the WebGPU adapter); returns what the page published as window.__swinResult.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.SWIN_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png', '.safetensors': 'application/octet-stream', '.css': 'text/css' };
const PAGE_TIMEOUT_MS = 240_000;

function serve(root) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function runBrowserApp(distDir, page) {
  const server = await serve(distDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 60_000 });
  const errors = [];
  try {
    const tab = await browser.newPage();
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(`http://127.0.0.1:${server.address().port}/${page}`);
    await tab.waitForFunction(() => window.__swinResult !== undefined, undefined, { timeout: PAGE_TIMEOUT_MS });
    const result = await tab.evaluate(() => window.__swinResult);
    return errors.length ? { ...result, pageErrors: errors } : result;
  } catch (err) {
    return { error: `${err instanceof Error ? err.message : String(err)}${errors.length ? `; page errors: ${errors.join('; ')}` : ''}` };
  } finally {
    await browser.close();
    server.close();
  }
}
