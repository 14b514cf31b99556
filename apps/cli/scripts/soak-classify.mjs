#!/usr/bin/env node
// Soak: classifies pictures many times per backend in one process, through the CLI's own decode,
// preprocessing and backend code, and samples resident memory, tfjs tensors and WebGPU buffers, so a
// leak shows up as growth between the first and the last samples. A script to run once and report,
// not a test. Build first (turbo run build), then:
//   node apps/cli/scripts/soak-classify.mjs [--runs 1000] [--backends reference,tfjs,tfjs-wasm,onnx,webgpu] [--json out.json]
// Each backend gets --runs classifications of one picture (the five example pictures in turn),
// decoded from its file each time; the reference backend gets --reference-runs (default --runs).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildModelGraph, normalizeToTensor, officialPreprocessSpec, parsePreprocessSpec, resizeAndCrop } from '@swin/core';
import { readWeightsFile } from '@swin/weights/node';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const dist = join(here, '../dist');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    'reference-runs': { type: 'string' },
    backends: { type: 'string', default: 'reference,tfjs,tfjs-wasm,onnx,webgpu' },
    json: { type: 'string' },
    every: { type: 'string', default: '100' },
  },
});
const backends = values.backends.split(',');
if (backends.includes('webgpu')) {
  process.env['XDG_RUNTIME_DIR'] ??= (await import('node:os')).tmpdir();
  (await import('@swin/backend-webgpu/node')).relaunchWithDawnFlags();
}
const { openBackend } = await import(join(dist, 'backends.js'));
const { decodeImageFile } = await import(join(dist, 'decode-image.js'));
const { readJsonFile } = await import(join(dist, 'input-files.js'));

const modelDir = join(root, 'apps/cli/default-model');
const model = readWeightsFile(join(modelDir, 'weights.safetensors'));
const spec = parsePreprocessSpec(readJsonFile(join(modelDir, 'preprocess.json'), 'preprocessing')) ?? officialPreprocessSpec(64);
const pictures = readdirSync(join(root, 'examples')).filter((f) => /\.(png|jpe?g|webp)$/.test(f)).map((f) => join(root, 'examples', f));
const graph = buildModelGraph(model.config, model.weights, { inputSize: [spec.inputSize[0], spec.inputSize[1]], outputs: ['logits'] }).graph;
const every = Number(values.every);
const mb = (b) => Math.round((b / 2 ** 20) * 10) / 10;

async function tfjsTensors() {
  try {
    const tf = await import('@tensorflow/tfjs-core');
    return tf.memory().numTensors;
  } catch {
    return undefined;
  }
}

const report = { node: process.version, picturesPerRun: 1, model: 'apps/cli/default-model', backends: [] };
for (const name of backends) {
  const runs = Number(name === 'reference' ? (values['reference-runs'] ?? values.runs) : values.runs);
  const backend = await openBackend(name);
  const exe = await backend.compile(graph);
  const samples = [];
  const sample = async (i) => {
    globalThis.gc?.();
    samples.push({
      run: i,
      rssMb: mb(process.memoryUsage().rss),
      tfjsTensors: name.startsWith('tfjs') ? await tfjsTensors() : undefined,
      webgpuBuffers: typeof exe.liveBuffers === 'number' ? exe.liveBuffers : undefined,
    });
  };
  const start = performance.now();
  await sample(0);
  for (let i = 1; i <= runs; i++) {
    const image = resizeAndCrop(await decodeImageFile(pictures[i % pictures.length], 64_000_000), spec);
    const out = await exe.run({ input: normalizeToTensor([image], spec.mean, spec.std) });
    if (!Number.isFinite(out['logits'].data[0])) throw new Error(`${name}: non-finite logits at run ${i}`);
    if (i % every === 0 || i === runs) await sample(i);
  }
  const seconds = (performance.now() - start) / 1000;
  exe.dispose();
  await backend.dispose();
  const rss = samples.map((s) => s.rssMb);
  const entry = {
    backend: name,
    runs,
    seconds: Math.round(seconds * 10) / 10,
    rssMb: { start: rss[0], end: rss.at(-1), peak: Math.max(...rss) },
    tfjsTensors: name.startsWith('tfjs') ? { start: samples[0].tfjsTensors, end: samples.at(-1).tfjsTensors, peak: Math.max(...samples.map((s) => s.tfjsTensors ?? 0)) } : undefined,
    webgpuBuffers: name === 'webgpu' ? { start: samples[0].webgpuBuffers, end: samples.at(-1).webgpuBuffers, peak: Math.max(...samples.map((s) => s.webgpuBuffers ?? 0)) } : undefined,
    samples,
  };
  report.backends.push(entry);
  console.log(JSON.stringify({ ...entry, samples: undefined }));
}
if (values.json) (await import('node:fs')).writeFileSync(values.json, JSON.stringify(report, null, 2) + '\n');
