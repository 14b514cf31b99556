// The Node test backend: Dawn on whatever adapter it finds. A missing adapter fails the test run
// with the message createDawnGpu gives (what to install), never a skip.

import { createNodeWebGpuBackend, type WebGpuBackend } from '../../src/node/index.js';

let shared: Promise<WebGpuBackend> | undefined;

/** One backend per test file: pipelines are cached per backend, and SwiftShader compiles slowly. */
export function dawnBackend(): Promise<WebGpuBackend> {
  shared ??= createNodeWebGpuBackend();
  return shared;
}
