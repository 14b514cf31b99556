// The README's browser example runs as written (extracted from README.md) in headless Chromium,
// bundled by Vite as an app bundles @swin/pipeline, on 'auto': swin-t is in Cache Storage as an
// earlier visit leaves it (random weights of its architecture; no network here), the picture is an
// <img>. Its top-1 must be what Node's pipeline answers for the same weights and picture.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomSwinV1Weights, type SwinV1Config } from '@swin/core';
import { findVariant } from '@swin/variants';
import { writeSafetensors } from '@swin/weights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/node/index.js';
import { openBuiltPage, type BrowserPage } from './browser/chromium-page.js';
import { readmeExample } from './readme-code.js';

const PKG = join(import.meta.dirname, '..');
const ROOT = join(PKG, '../..');
const SWIN_T = findVariant('swin-t');

// No top-level await outside the README's own code: Vite's chunks import each other (its preload
// helper, shared pipeline code), and a module awaiting inside such an import cycle never settles.
const MAIN = `import('./setup.js')
  .then((m) => m.setup())
  .then(() => import('./readme-example.js'))
  .catch((e) => {
    window.readme = { error: String((e && e.stack) || e) };
  });
`;

const SETUP = `import { BROWSER_CACHE_NAME, provideBackendModules } from '@swin/pipeline';
// An app hands the pipeline the backend packages it ships (the README's Backends section).
provideBackendModules({
  '@swin/backend-webgpu': () => import('@swin/backend-webgpu'),
  '@swin/backend-onnx/web': () => import('@swin/backend-onnx/web'),
});
export async function setup() {
  await document.querySelector('img').decode();
  const cache = await caches.open(BROWSER_CACHE_NAME);
  await cache.put(${JSON.stringify(SWIN_T.checkpoint!.url)}, await fetch('./swin-t.safetensors'));
}
`;

describe('README browser example (Chromium)', () => {
  let p: BrowserPage;
  let swinT: Uint8Array;

  beforeAll(async () => {
    swinT = writeSafetensors(randomSwinV1Weights(SWIN_T.config as SwinV1Config, 1));
    p = await openBuiltPage(PKG, 'readme', {
      'index.html': '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><img src="./cat.png" alt=""><script type="module" src="./main.js"></script></body></html>',
      'main.js': MAIN,
      'setup.js': SETUP,
      'readme-example.js': `${readmeExample('**Browser**')}\nwindow.readme = { top, backend: model.info.backend };\nawait model.dispose();\n`,
      'cat.png': readFileSync(join(ROOT, 'examples/blue-heart.png')),
    });
    p.routes.set('/swin-t.safetensors', (_req, res) => res.writeHead(200, { 'content-length': swinT.length }).end(swinT));
  }, 240_000);
  afterAll(() => p?.close());

  it('is three lines and runs as written', async () => {
    expect(readmeExample('**Browser**').trim().split('\n')).toHaveLength(3);
    await p.page.goto(p.base);
    await p.page
      .waitForFunction(() => (window as unknown as { readme?: unknown }).readme !== undefined, undefined, { timeout: 540_000, polling: 1000 })
      .catch((err: Error) => {
        throw new Error(`${err.message}; the page logged: ${p.console.join(' | ')}`);
      });
    const out = await p.page.evaluate(() => (window as unknown as { readme: { top?: { label: string; score: number; index: number }[]; backend?: string; error?: string } }).readme);
    expect(out.error, out.error).toBeUndefined();
    const node = await loadModel(swinT, { backend: 'onnx' });
    const want = (await node.classify(join(ROOT, 'examples/blue-heart.png'), { topk: 5 }))[0]!;
    await node.dispose();
    const top = out.top!;
    console.log(`README browser example on ${out.backend}: ${top.map((t) => `${t.index}:${t.score.toFixed(4)}`).join(' ')} (Node onnx: ${want.map((t) => `${t.index}:${t.score.toFixed(4)}`).join(' ')})`);
    expect(['webgpu', 'onnx-wasm']).toContain(out.backend);
    expect(top).toHaveLength(5);
    expect(top[0]!.index).toBe(want[0]!.index);
    expect(top[0]!.label).toBe(want[0]!.label);
    expect(Math.abs(top[0]!.score - want[0]!.score)).toBeLessThan(1e-2);
    expect(p.errors).toEqual([]);
  }, 600_000);
});
