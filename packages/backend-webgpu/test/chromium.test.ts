import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessResult, PageConformance } from './browser/harness.js';
import { launchWebGpuChromium, servePage, type PageServer, type WebGpuBrowser } from './helpers/chromium.js';
import { FIXTURES_DIR, allFixtureListings, fixtureFileNames, swinV1FixtureNames } from './helpers/fixtures.js';

const HARNESS = fileURLToPath(new URL('./browser/harness.ts', import.meta.url));

describe('webgpu in headless Chromium (navigator.gpu on SwiftShader)', () => {
  let server: PageServer;
  let browser: WebGpuBrowser;
  let result: HarnessResult;

  beforeAll(async () => {
    const bundle = await build({ entryPoints: [HARNESS], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
    const page = '<!doctype html><meta charset="utf-8"><title>swin webgpu</title><script type="module" src="/harness.js"></script>';
    server = await servePage(
      { '/': { type: 'text/html', body: page }, '/harness.js': { type: 'text/javascript', body: bundle.outputFiles[0]!.contents } },
      { '/fixtures/': FIXTURES_DIR },
    );
    browser = await launchWebGpuChromium();
    const errors: string[] = [];
    browser.page.on('pageerror', (e) => errors.push(String(e)));
    await browser.page.goto(`${server.url}/`);
    await browser.page.waitForFunction(() => 'swinHarness' in globalThis);
    const hasGpu = await browser.page.evaluate(async () => !!(await navigator.gpu?.requestAdapter()));
    if (!hasGpu) throw new Error(`Chromium gave no WebGPU adapter (navigator.gpu ${await browser.page.evaluate(() => (navigator.gpu ? 'present' : 'missing'))}); it needs --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader and SwiftShader (libvk_swiftshader.so) from the chromium package. Page errors: ${errors.join('; ')}`);
    const fixtures = Object.fromEntries(swinV1FixtureNames().map((n) => [n, fixtureFileNames(n)]));
    result = await browser.page.evaluate((f) => (globalThis as unknown as { swinHarness: { run(x: typeof f): Promise<HarnessResult> } }).swinHarness.run(f), fixtures);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs on a WebGPU adapter in the page', () => {
    console.log(`adapter: ${JSON.stringify(result.adapter)}; features: ${result.features.join(', ')}`);
    expect(result.adapter.architecture.length + result.adapter.description.length).toBeGreaterThan(0);
  });

  it('matches the reference backend on every op case', () => {
    console.table(result.ops.map((r) => ({ case: r.name, maxAbsError: r.maxAbsError.toExponential(2) })));
    expect(result.ops.length).toBeGreaterThan(30);
    for (const r of result.ops) expect(r.maxAbsError, r.name).toBeLessThanOrEqual(1e-4 * Math.max(1, r.scale));
  });

  it('matches every Swin V1 fixture within 1e-3 of float64 (fp32)', () => {
    const names = Object.keys(result.fixtures);
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const [name, errors] of Object.entries(result.fixtures)) {
      console.log(`${name}: max abs error ${Math.max(...Object.values(errors)).toExponential(2)}`);
      expect(Object.keys(errors).length, name).toBeGreaterThanOrEqual(8);
      for (const [out, e] of Object.entries(errors)) expect(e, `${name}/${out}`).toBeLessThanOrEqual(1e-3);
    }
  });

  it('passes @swin/conformance in the page (op cases, every fixture of every family, dynamic batch)', async () => {
    const listing = allFixtureListings();
    const report = await browser.page.evaluate(
      (l) => (globalThis as unknown as { swinHarness: { conformance(x: typeof l): Promise<PageConformance> } }).swinHarness.conformance(l),
      listing,
    );
    console.log(`page conformance: ${JSON.stringify(report.summary)}`);
    for (const m of report.models) console.log(`  ${m.id}: ${m.status}${m.maxAbs !== undefined ? ` max abs ${m.maxAbs.toExponential(2)}` : ''}`);
    for (const c of report.notPassed) console.log(`  not passed: ${c.id} (${c.status}) ${c.message ?? ''}`);
    expect(report.models.length).toBeGreaterThanOrEqual(Object.keys(listing).length);
    expect(report.summary.requiredFailures).toBe(0);
    expect(report.summary.conforms).toBe(true);
  });

  it('dispose() destroys every buffer (counted on the device in the page)', () => {
    console.log(`page buffers: ${JSON.stringify(result.buffers)}`);
    expect(result.buffers.aliveBeforeDispose).toBeGreaterThan(10);
    expect(result.buffers.aliveAfterDispose).toBe(0);
  });
});
