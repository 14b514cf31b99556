// The int8 export on onnxruntime-web (wasm) in headless Chromium, through the browser entry: the
// page's logits against onnxruntime-node's on the same tiny model. Chromium comes from Debian's
// package (SWIN_CHROMIUM overrides the path); a missing browser fails loudly.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { toFloat32 } from '@swin/core';
import { createOnnxBackend } from '../src/node.js';
import { randomImage, tinySwin } from './helpers/tiny-swin.js';

const HARNESS = fileURLToPath(new URL('./browser/int8-harness.ts', import.meta.url));
const ORT_WEB_DIST = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));

function chromiumPath(): string {
  const found = [process.env['SWIN_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
  if (!found) throw new Error("Chromium not found (SWIN_CHROMIUM, /usr/bin/chromium): install Debian's chromium package");
  return found;
}

/** Page, bundle and onnxruntime-web's wasm files on 127.0.0.1. */
async function servePage(bundle: Uint8Array): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><meta charset="utf-8"><script type="module" src="/harness.js"></script>');
    } else if (path === '/harness.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(bundle);
    } else if (path.startsWith('/ort/') && !normalize(path).includes('..') && existsSync(join(ORT_WEB_DIST, path.slice(5)))) {
      res.writeHead(200, { 'content-type': path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' });
      res.end(readFileSync(join(ORT_WEB_DIST, path.slice(5))));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('int8 on onnxruntime-web (wasm) in headless Chromium', () => {
  it("gives onnxruntime-node's int8 logits, near float32", async () => {
    const bundle = await build({ entryPoints: [HARNESS], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
    const server = await servePage(bundle.outputFiles[0]!.contents);
    const profile = mkdtempSync(join(tmpdir(), 'swin-onnx-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), headless: true, args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() => 'int8Harness' in globalThis, undefined, { timeout: 60_000 });
      const web = await page.evaluate(() => (globalThis as unknown as { int8Harness: { run(): Promise<{ float32: number[]; int8: number[] }> } }).int8Harness.run());
      expect(errors).toEqual([]);

      const backend = createOnnxBackend({ threads: 1, dtype: 'int8' });
      const node = toFloat32((await (await backend.compile(tinySwin().graph)).run({ input: randomImage(2, 32, 32) }))['logits']!).data;
      await backend.dispose();
      let toNode = 0;
      let toFloat = 0;
      let scale = 0;
      for (let i = 0; i < node.length; i++) {
        toNode = Math.max(toNode, Math.abs(web.int8[i]! - node[i]!));
        toFloat = Math.max(toFloat, Math.abs(web.int8[i]! - web.float32[i]!));
        scale = Math.max(scale, Math.abs(web.float32[i]!));
      }
      console.log(`Chromium wasm int8: max abs diff to onnxruntime-node int8 ${toNode.toExponential(2)}, to float32 ${toFloat.toExponential(2)} (largest |logit| ${scale.toFixed(3)})`);
      expect(web.int8).toHaveLength(node.length);
      // Same quantization, exact int32 products: only the float scaling may round differently.
      expect(toNode).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));
      expect(toFloat).toBeLessThanOrEqual(0.1 * scale);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      await server.close();
    }
  });
});
