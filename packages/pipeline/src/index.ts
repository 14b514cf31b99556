// @swin/pipeline for browsers and Web Workers (bundlers pick this entry; Node gets ./node/index.js):
// load a Swin model from a variant name, hf:<repo>, a URL, bytes, a Blob or weights, and classify.
import { BROWSER_BACKENDS } from './browser/browser-backends.js';
import { readBrowserCheckpoint } from './browser/browser-checkpoints.js';
import { decodeBrowserImage } from './browser/browser-images.js';
import { loadModelOn } from './load-model.js';
import type { Platform } from './platform.js';
import type { SwinModel } from './swin-model.js';
import type { LoadModelOptions, ModelSource } from './types.js';

export * from './shared-exports.js';
export { BROWSER_BACKENDS, provideBackendModules, webGpuUnavailable, type BackendModuleName } from './browser/browser-backends.js';
export { BROWSER_CACHE_NAME, BROWSER_PARTIAL_CACHE_NAME, downloadBytes } from './download/browser-download.js';
export { decodeBrowserImage as decodeImage } from './browser/browser-images.js';

/** The browser platform: fetch + Cache Storage, the browser's own picture decoders, webgpu → onnx-wasm → tfjs for 'auto'. */
export const BROWSER_PLATFORM: Platform = { isNode: false, backends: BROWSER_BACKENDS, decodeImage: decodeBrowserImage, readCheckpoint: readBrowserCheckpoint };

/** Loads a model (variant name, hf:<repo>, URL, bytes, Blob or weights map) and compiles it on a backend. */
export function loadModel(source: ModelSource, options?: LoadModelOptions): Promise<SwinModel> {
  return loadModelOn(BROWSER_PLATFORM, source, options);
}
