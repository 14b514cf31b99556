// The Node test backend: Dawn on whatever adapter it finds. A missing adapter fails the test run
// with the message createDawnGpu gives (what to install), never a skip.

import type { KernelTiling } from '../../src/kernels/kernel-types.js';
import { createNodeWebGpuBackend, type WebGpuBackend } from '../../src/node/index.js';

const shared = new Map<string, Promise<WebGpuBackend>>();

/**
 * One backend per test file and tiling: pipelines are cached per backend, and SwiftShader
 * compiles slowly. 'auto' is what users get ('registers' on SwiftShader); the other flavour is
 * forced so both kernel sets are tested on any adapter.
 */
export function dawnBackend(tiling: KernelTiling | 'auto' = 'auto'): Promise<WebGpuBackend> {
  let b = shared.get(tiling);
  if (!b) {
    b = createNodeWebGpuBackend({ tiling });
    shared.set(tiling, b);
  }
  return b;
}

/** Disposes every backend this file made. */
export async function disposeDawnBackends(): Promise<void> {
  for (const b of shared.values()) await (await b).dispose();
  shared.clear();
}
