// Runs in the Chromium page (bundled by esbuild): the op cases, the fixture models and the
// buffer-count check on navigator.gpu, with results handed back to the Node test as JSON.

import { runConformance } from '@swin/conformance';
import { SWIN_V1_DEFAULTS, SeededRandom, buildSwinV1Graph, randomSwinV1Weights, tensor } from '@swin/core';
import { createWebGpuBackend } from '../../src/index.js';
import { countBuffers } from '../helpers/count-buffers.js';
import { checkFixture } from '../helpers/fixture-check.js';
import { OP_CASES, runOpCases, type OpCaseResult } from '../helpers/op-cases.js';
import { fetchedFixtures, type FixtureListing } from './fetched-fixtures.js';

export interface HarnessResult {
  readonly adapter: { vendor: string; architecture: string; description: string };
  readonly features: string[];
  readonly ops: OpCaseResult[];
  readonly fixtures: Record<string, Record<string, number>>;
  readonly buffers: { created: number; aliveBeforeDispose: number; aliveAfterDispose: number };
}

async function fetchFiles(name: string, files: readonly string[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  await Promise.all(
    files.map(async (f) => {
      const r = await fetch(`/fixtures/${name}/${f}`);
      if (!r.ok) throw new Error(`fetch ${name}/${f}: ${r.status}`);
      out.set(f, new Uint8Array(await r.arrayBuffer()));
    }),
  );
  return out;
}

async function run(fixtures: Record<string, string[]>): Promise<HarnessResult> {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned null');
  const device = await adapter.requestDevice({
    requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
    requiredLimits: { maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage },
  });
  const count = countBuffers(device);
  const backend = await createWebGpuBackend({ device });
  const ops = await runOpCases(backend, OP_CASES);
  const fixtureErrors: Record<string, Record<string, number>> = {};
  for (const [name, files] of Object.entries(fixtures)) fixtureErrors[name] = await checkFixture(backend, await fetchFiles(name, files));
  // Leave one executable alive: backend.dispose() must free its buffers too.
  const config = { ...SWIN_V1_DEFAULTS, img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 };
  const exe = await backend.compile(buildSwinV1Graph(config, randomSwinV1Weights(config, 1), { outputs: 'all' }).graph);
  await exe.run({ input: tensor('float32', [2, 3, 32, 32], new SeededRandom(2).normalArray(2 * 3 * 32 * 32)) });
  const aliveBeforeDispose = count.alive();
  await backend.dispose();
  const info = adapter.info;
  return {
    adapter: { vendor: info.vendor, architecture: info.architecture, description: info.description },
    features: [...adapter.features],
    ops,
    fixtures: fixtureErrors,
    buffers: { created: count.created(), aliveBeforeDispose, aliveAfterDispose: count.alive() },
  };
}

/** What the page's conformance run found: the summary plus every case that did not pass. */
export interface PageConformance {
  readonly summary: { cases: number; pass: number; fail: number; error: number; unsupported: number; requiredFailures: number; conforms: boolean };
  readonly notPassed: { id: string; status: string; message?: string }[];
  readonly models: { id: string; status: string; maxAbs?: number }[];
}

/** @swin/conformance's framework-free runner on navigator.gpu (Swin-T 224 left to the Node run: its reference takes minutes in a page). */
async function conformance(fixtureFiles: Record<string, FixtureListing>): Promise<PageConformance> {
  const report = await runConformance(() => createWebGpuBackend(), { name: 'webgpu-chromium', fixtures: fetchedFixtures(fixtureFiles), swinT224: false });
  return {
    summary: report.summary,
    notPassed: report.cases.filter((c) => c.status !== 'pass').map((c) => ({ id: c.id, status: c.status, ...(c.message ? { message: c.message } : {}) })),
    models: report.models.map((m) => ({ id: m.id, status: m.status, ...(m.maxAbs !== undefined ? { maxAbs: m.maxAbs } : {}) })),
  };
}

(globalThis as unknown as { swinHarness: { run: typeof run; conformance: typeof conformance } }).swinHarness = { run, conformance };
