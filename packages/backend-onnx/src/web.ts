// Browser entry: onnxruntime-web (wasm, or WebGPU where the browser has it). No Node imports.
import type { Backend } from '@swin/core';
import * as ort from 'onnxruntime-web';
import { createOnnxRuntimeBackend, type OnnxBackendOptions } from './runtime/onnx-runtime-backend.js';

export * from './index.js';

/**
 * The onnx backend on onnxruntime-web. Default providers: WebGPU when the browser exposes it, then
 * wasm. onnxruntime-web sets wasm threads globally, so `threads` goes to ort.env.wasm.numThreads.
 */
export function createOnnxBackend(options: OnnxBackendOptions = {}): Backend {
  if (options.threads !== undefined) ort.env.wasm.numThreads = options.threads;
  const hasWebGpu = typeof navigator !== 'undefined' && 'gpu' in navigator;
  const { threads, ...rest } = options;
  const backend = createOnnxRuntimeBackend(ort, { executionProviders: hasWebGpu ? ['webgpu', 'wasm'] : ['wasm'], ...rest });
  return threads === undefined ? backend : { ...backend, threads };
}
