// The benchmark page: Swin-T on our WebGPU backend and on onnxruntime-web's WebGPU provider
// (loaded from /ort/, running the ONNX our exporter wrote for the same weights), on the same
// adapter. The Node side calls these one at a time so the two alternate.

import { SWIN_V1_DEFAULTS, SeededRandom, buildSwinV1Graph, randomSwinV1Weights, tensor, type TensorData } from '@swin/core';
import { createWebGpuBackend, type WebGpuExecutable } from '@swin/backend-webgpu';

interface OrtTensor {
  getData(): Promise<Float32Array>;
  data: Float32Array;
}
interface OrtSession {
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
  outputNames: readonly string[];
}
interface Ort {
  env: { wasm: { wasmPaths: string; numThreads: number }; logLevel: string };
  InferenceSession: { create(model: Uint8Array, options: unknown): Promise<OrtSession> };
  Tensor: new (type: string, data: Float32Array, dims: number[]) => unknown;
}

let ours: WebGpuExecutable;
let session: OrtSession;
let ort: Ort;
let input: TensorData<'float32'>;

async function setup(options: { seed: number; size: number; batch: number }): Promise<{ adapter: string; tiling: string; timestamps: boolean; compileMs: number; ortSessionMs: number }> {
  const config = { ...SWIN_V1_DEFAULTS };
  const model = buildSwinV1Graph(config, randomSwinV1Weights(config, options.seed), { inputSize: [options.size, options.size], batch: options.batch });
  const backend = await createWebGpuBackend();
  let t = performance.now();
  ours = await backend.compile(model.graph);
  const compileMs = performance.now() - t;
  const n = options.batch * 3 * options.size * options.size;
  input = tensor('float32', [options.batch, 3, options.size, options.size], new SeededRandom(options.seed + 1).normalArray(n));
  const url = '/ort/ort.webgpu.min.mjs';
  ort = (await import(/* webpackIgnore: true */ url)) as Ort;
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.logLevel = 'warning';
  const bytes = new Uint8Array(await (await fetch('/model.onnx')).arrayBuffer());
  t = performance.now();
  session = await ort.InferenceSession.create(bytes, { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' });
  const ortSessionMs = performance.now() - t;
  const info = backend.adapterInfo;
  return { adapter: info ? `${info.vendor} ${info.architecture} ${info.description}`.trim() : 'unknown', tiling: backend.tiling, timestamps: backend.timestampsAvailable, compileMs, ortSessionMs };
}

async function runOurs(): Promise<{ ms: number; logits: number[] }> {
  const t = performance.now();
  const out = await ours.run({ input });
  const ms = performance.now() - t;
  return { ms, logits: Array.from((out['logits']!.data as Float32Array).slice(0, 1000)) };
}

async function runOrt(): Promise<{ ms: number; logits: number[] }> {
  const feed = new ort.Tensor('float32', input.data, [...input.shape]);
  const t = performance.now();
  const out = await session.run({ input: feed });
  const logits = out[session.outputNames[0]!]!;
  const data = logits.data ?? (await logits.getData());
  const ms = performance.now() - t;
  return { ms, logits: Array.from(data.slice(0, 1000)) };
}

async function profileOurs(): Promise<{ method: string; steps: { label: string; milliseconds: number }[] }> {
  const p = await ours.profile({ input });
  return { method: p.method, steps: p.steps.map((s) => ({ label: s.label, milliseconds: s.milliseconds })) };
}

(globalThis as unknown as { swinBench: unknown }).swinBench = { setup, runOurs, runOrt, profileOurs };
