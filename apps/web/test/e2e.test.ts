import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModelGraph, createReferenceBackend, inferModelConfig, parseNpy, parsePreprocessSpec, preprocessImages, toRgbImage } from '@swin/core';
import { loadWeights } from '@swin/weights';
import { CHROMIUM_WEBGPU_FLAGS, chromiumPath } from '../../../packages/backend-webgpu/test/helpers/chromium.js';
import { BACKEND_LABELS } from '../src/backend-labels.js';
// @ts-expect-error: plain .mjs helper without types
import { serveDirectory } from './serve-dist.mjs';

// End to end: build the page with Vite, serve dist/ on 127.0.0.1, open it in headless Chromium
// (Debian's package, driven by playwright-core) and classify on every backend: a sample, whose
// top-1 must equal the Node pipeline's (sharp decode + @swin/core preprocessing + reference
// backend: what `swin classify` does), and the default model's whole held-out set (served from
// models/default/heldout), which must reach PyTorch's accuracy with PyTorch's top-1 on every
// picture. Screenshots go to test-results/. Minutes, most of them onnxruntime-web's WebGPU
// provider on SwiftShader.

const APP = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = join(APP, '../..');
const MODEL = join(REPO, 'models/default');
const RESULTS = join(APP, 'test-results');
const BACKEND_IDS = BACKEND_LABELS.map((o) => o.id);
const SAMPLES = readdirSync(join(REPO, 'examples'))
  .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
  .sort();
// The sample every backend classifies: a PNG, so the browser's pixels are the file's and the
// logits can be compared with Node's, not only the top-1.
const SAMPLE = SAMPLES.find((f) => f.endsWith('.png'))!;

interface NodeAnswer {
  readonly top1: string;
  readonly logits: Float32Array;
}

/** What the CLI answers for a file: sharp decode, official preprocessing, reference backend. */
async function nodeAnswers(files: readonly string[]): Promise<Map<string, NodeAnswer>> {
  const { weights } = loadWeights(new Uint8Array(readFileSync(join(MODEL, 'weights.safetensors'))));
  const config = inferModelConfig(weights, JSON.parse(readFileSync(join(MODEL, 'config.json'), 'utf8')) as Record<string, unknown>);
  const classes = JSON.parse(readFileSync(join(MODEL, 'classes.json'), 'utf8')) as string[];
  const spec = parsePreprocessSpec(JSON.parse(readFileSync(join(MODEL, 'preprocess.json'), 'utf8')));
  const backend = createReferenceBackend();
  const exe = await backend.compile(buildModelGraph(config, weights, { inputSize: spec.inputSize as [number, number], batch: 1 }).graph);
  const out = new Map<string, NodeAnswer>();
  for (const file of files) {
    const { data, info } = await sharp(join(REPO, 'examples', file), { failOn: 'error' }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const image = toRgbImage({ width: info.width, height: info.height, channels: info.channels as 1 | 2 | 3 | 4, data: new Uint8Array(data.buffer, data.byteOffset, data.length) });
    const { logits } = await exe.run({ input: preprocessImages([image], spec) });
    const l = Float32Array.from(logits!.data as Float32Array);
    out.set(file, { top1: classes[l.indexOf(Math.max(...l))]!, logits: l });
  }
  exe.dispose();
  return out;
}

interface PageResult {
  readonly state: string;
  readonly status: string;
  readonly top1?: string;
  readonly logits?: number[];
  readonly backendName?: string;
}

async function classifyInPage(page: Page, baseUrl: string, backend: string, sample: string): Promise<PageResult> {
  await page.goto(`${baseUrl}?backend=${encodeURIComponent(backend)}&sample=${encodeURIComponent(sample)}`);
  await page.waitForSelector(`#result[data-state="done"][data-picture="${sample}"], #result[data-state="error"]`, { timeout: 600_000 });
  return page.evaluate(() => {
    const r = document.querySelector<HTMLElement>('#result')!;
    return {
      state: r.dataset['state']!,
      status: document.querySelector('#status')!.textContent ?? '',
      top1: r.dataset['top1'],
      logits: r.dataset['logits'] ? (JSON.parse(r.dataset['logits']) as number[]) : undefined,
      backendName: document.querySelector('#timings dt:nth-of-type(3)')?.textContent ?? undefined,
    };
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('web demo in headless Chromium', () => {
  let server: Server | undefined;
  let baseUrl = '';
  let context: BrowserContext | undefined;
  let page: Page;
  let userDataDir = '';
  let expected: Map<string, NodeAnswer>;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    // Fails loudly naming where it looked when the browser is missing.
    const executablePath = chromiumPath();
    expected = await nodeAnswers(SAMPLES);
    await build({ root: APP, configFile: join(APP, 'vite.config.ts'), logLevel: 'warn' });
    ({ server, url: baseUrl } = (await serveDirectory(join(APP, 'dist'), { mounts: { '/heldout/': join(MODEL, 'heldout') } })) as { server: Server; url: string });
    mkdirSync(RESULTS, { recursive: true });
    userDataDir = mkdtempSync(join(tmpdir(), 'swin-web-e2e-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_WEBGPU_FLAGS,
      viewport: { width: 1280, height: 860 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`);
    });
  });

  afterAll(async () => {
    await context?.close();
    server?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('every backend the page offers is usable in this Chromium', async () => {
    await page.goto(`${baseUrl}?noautorun`);
    await page.waitForSelector('#backend-select[data-ready="true"]', { timeout: 120_000 });
    const options = await page.$$eval('#backend-select option', (els) => (els as HTMLOptionElement[]).map((o) => ({ id: o.value, available: o.dataset['available'] === 'true', reason: o.title })));
    expect(options.map((o) => o.id)).toEqual(BACKEND_IDS);
    const unavailable = options.filter((o) => !o.available).map((o) => `${o.id}: ${o.reason}`);
    expect(unavailable).toEqual([]);
  });

  for (const backend of BACKEND_IDS) {
    it(`${backend}: classifies ${SAMPLE} like the CLI`, async () => {
      const r = await classifyInPage(page, baseUrl, backend, SAMPLE);
      await page.screenshot({ path: join(RESULTS, `e2e-${backend}.png`), fullPage: true });
      expect(r.state, r.status).toBe('done');
      const want = expected.get(SAMPLE)!;
      const diff = maxAbsDiff(r.logits!, want.logits);
      console.log(`${backend.padEnd(12)} ${SAMPLE}: top-1 ${r.top1} (CLI: ${want.top1}), max |logit - CLI logit| ${diff.toExponential(2)}; ${r.backendName}`);
      expect(r.top1).toBe(want.top1);
      // same pixels (PNG), same preprocessing: the reference backend is bit-identical, the others
      // differ by their float arithmetic only
      expect(diff).toBeLessThan(backend === 'reference' ? 1e-6 : 2e-2);
    });
  }

  for (const backend of BACKEND_IDS) {
    it(`${backend}: PyTorch's accuracy on the held-out set, in the page`, async () => {
      const labels = JSON.parse(readFileSync(join(MODEL, 'heldout/labels.json'), 'utf8')) as { file: string; label: number }[];
      const accuracy = JSON.parse(readFileSync(join(MODEL, 'accuracy.json'), 'utf8')) as { correct: number; count: number };
      const torch = parseNpy(new Uint8Array(readFileSync(join(MODEL, 'heldout/logits.npy')))).data as Float32Array;
      await page.goto(`${baseUrl}?noautorun`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
      const logits = await page.evaluate(
        ([id, urls]) => (globalThis as unknown as { swinDemo: { classifyUrls(b: string, u: string[]): Promise<number[][]> } }).swinDemo.classifyUrls(id, urls),
        [backend, labels.map((l) => `heldout/${l.file}`)] as [string, string[]],
      );
      const argmax = (a: ArrayLike<number>) => Array.prototype.indexOf.call(a, Math.max(...Array.from(a)));
      let correct = 0;
      let agree = 0;
      let maxDiff = 0;
      labels.forEach((l, i) => {
        const ref = torch.subarray(i * logits[i]!.length, (i + 1) * logits[i]!.length);
        if (argmax(logits[i]!) === l.label) correct++;
        if (argmax(logits[i]!) === argmax(ref)) agree++;
        maxDiff = Math.max(maxDiff, maxAbsDiff(logits[i]!, ref));
      });
      console.log(`${backend.padEnd(12)} held-out: ${correct}/${labels.length} (PyTorch ${accuracy.correct}/${accuracy.count}), top-1 = PyTorch's on ${agree}/${labels.length}, max |logit - PyTorch| ${maxDiff.toExponential(2)}`);
      expect(correct).toBe(accuracy.correct);
      expect(agree).toBe(labels.length);
    });
  }

  it('every sample, in every format, gets the CLI top-1 (reference backend)', async () => {
    for (const sample of SAMPLES) {
      const r = await classifyInPage(page, baseUrl, 'reference', sample);
      expect(r.state, r.status).toBe('done');
      console.log(`reference    ${sample}: top-1 ${r.top1} (CLI: ${expected.get(sample)!.top1}), max |logit diff| ${maxAbsDiff(r.logits!, expected.get(sample)!.logits).toExponential(2)}`);
      expect(r.top1).toBe(expected.get(sample)!.top1);
    }
  });

  it('explainer: shifted windows as the block sees them, with one token attention', async () => {
    await classifyInPage(page, baseUrl, 'webgpu', SAMPLE);
    await page.selectOption('#stage-select', '0');
    await page.selectOption('#window-select', '1');
    await page.selectOption('#frame-select', 'rolled');
    const box = (await page.locator('#view').boundingBox())!;
    // the token at row 1, column 14 of the 16x16 map: it sits in a window that wraps around
    await page.mouse.click(box.x + (14.5 / 16) * box.width, box.y + (1.5 / 16) * box.height);
    expect(await page.inputValue('#overlay-select')).toBe('attention');
    const caption = await page.textContent('#view-caption');
    expect(caption).toMatch(/shifted by 2 tokens/);
    expect(caption).toMatch(/attention from the framed token/);
    await page.screenshot({ path: join(RESULTS, 'e2e-explainer-attention.png'), fullPage: true });
    // the same block's windows in the picture: a window that wraps shows as pieces at the edges
    await page.selectOption('#frame-select', 'picture');
    await page.selectOption('#overlay-select', 'windows');
    await page.screenshot({ path: join(RESULTS, 'e2e-explainer-windows.png'), fullPage: true });
    expect(consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });

  it('classifies inside a Web Worker through @swin/pipeline (auto backend, no DOM)', async () => {
    await page.goto(`${baseUrl}?noautorun`);
    await page.waitForFunction(() => document.body.dataset['ready'] === 'true', undefined, { timeout: 120_000 });
    const reply = (await page.evaluate(
      ([sample]) => (globalThis as unknown as { swinDemo: { classifyInWorker(b: string, u: string): Promise<unknown> } }).swinDemo.classifyInWorker('auto', `examples/${sample}`),
      [SAMPLE],
    )) as { label?: string; backend?: string; choice?: string; error?: string };
    expect(reply.error).toBeUndefined();
    expect(reply.label).toBe(expected.get(SAMPLE)!.top1);
    expect(reply.choice).toBe('auto');
    // with an adapter (SwiftShader here), 'auto' picks our WebGPU backend, as in a page
    expect(reply.backend).toBe('webgpu');
  }, 300_000);
});
