/// <reference types="@webgpu/types" preserve="true" />
// @swin/backend-webgpu/node: the WebGPU backend in Node through Dawn (npm 'webgpu'). Importing
// this module registers the backend as 'webgpu' in @swin/core's registry. The process must run
// with --max-opt=2 (see dawn-process.ts); relaunchWithDawnFlags() restarts a CLI with it.

import { registerBackend } from '@swin/core';
import { createWebGpuBackend, type WebGpuBackend, type WebGpuBackendOptions } from '../webgpu-backend.js';
import { createDawnGpu, type DawnGpuOptions } from './dawn-gpu.js';

export * from '../index.js';
export { createDawnGpu, type DawnAdapterChoice, type DawnGpu, type DawnGpuOptions } from './dawn-gpu.js';
export {
  DAWN_NODE_FLAGS,
  SWIFTSHADER_ICD,
  dawnEnvironment,
  hasSwiftShaderIcd,
  isDawnSafeProcess,
  relaunchWithDawnFlags,
  runInDawnProcess,
  type DawnProcessResult,
} from './dawn-process.js';

/** Options of the Node backend: the backend's own plus how to find a Dawn adapter. */
export type NodeWebGpuBackendOptions = Omit<WebGpuBackendOptions, 'gpu'> & DawnGpuOptions;

/** Creates the WebGPU backend on Dawn: a real GPU when Vulkan has one, else SwiftShader, else llvmpipe GL ES. */
export async function createNodeWebGpuBackend(options: NodeWebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  if (options.device) return createWebGpuBackend(options);
  const dawn = await createDawnGpu(options);
  const backend = await createWebGpuBackend({ ...options, gpu: dawn.gpu, adapterOptions: { ...dawn.adapterOptions, ...options.adapterOptions } });
  return backend;
}

/** Registers 'webgpu' in core's backend registry (done once on import; call again to change options). */
export function registerWebGpuBackend(options: NodeWebGpuBackendOptions = {}): void {
  registerBackend('webgpu', () => createNodeWebGpuBackend(options));
}

registerWebGpuBackend();
