// Node entry: onnxruntime-node (CPU binaries shipped in the package), atomic file writes, and the
// 'onnx' name in core's backend registry. Importing this module registers the backend.
import { availableParallelism } from 'node:os';
import { registerBackend, type Backend } from '@swin/core';
import ort from 'onnxruntime-node';
import { createOnnxRuntimeBackend, type OnnxBackendOptions } from './runtime/onnx-runtime-backend.js';

export * from './index.js';
export { writeOnnxFile } from './node/write-onnx-file.js';

/** The onnx backend on onnxruntime-node: CPU provider, intra-op threads default to the machine's cores. */
export function createOnnxBackend(options: OnnxBackendOptions = {}): Backend {
  return createOnnxRuntimeBackend(ort, { threads: availableParallelism(), executionProviders: ['cpu'], ...options });
}

/** Same as createOnnxBackend, under the name the CLI's backend table uses. */
export const createOnnxNodeBackend = createOnnxBackend;

/**
 * Registers createOnnxBackend() as 'onnx' in core's registry (done on import; call again after a
 * reset). `createBackend('onnx', { threads })` sets the intra-op threads.
 */
export function registerOnnxBackend(): void {
  registerBackend('onnx', ({ threads }) => createOnnxBackend(threads === undefined ? {} : { threads }));
}

registerOnnxBackend();
