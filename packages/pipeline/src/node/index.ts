// @swin/pipeline in Node: the same API as the browser entry, with files, sharp and native backends.
import { loadModelOn, readCheckpointOn } from '../load-model.js';
import type { Platform, ReadCheckpoint } from '../platform.js';
import type { SwinModel } from '../swin-model.js';
import type { LoadModelOptions, ModelSource } from '../types.js';
import { NODE_BACKENDS } from './node-backends.js';
import { readNodeCheckpoint } from './node-checkpoints.js';
import { decodeNodeImage } from './node-images.js';

export * from '../shared-exports.js';
export { cachedWeightsPath, swinCacheDir } from './cache-dir.js';
export { NODE_BACKENDS } from './node-backends.js';
export { fetchVariant, localCheckpoint, localCheckpointFile, readCheckpointPath, type FetchVariantOptions } from './node-checkpoints.js';
export { readLocalFile } from './read-local-file.js';
export type { ReadCheckpoint } from '../platform.js';
export { downloadToFile, sha256File } from '../download/node-download.js';
export { decodeNodeImage as decodeImage } from './node-images.js';

/** The Node platform: paths and the `swin fetch` cache, sharp for pictures, onnx → tfjs-wasm → reference for 'auto'. */
export const NODE_PLATFORM: Platform = { isNode: true, backends: NODE_BACKENDS, decodeImage: decodeNodeImage, readCheckpoint: readNodeCheckpoint };

/** Loads a model (variant name, hf:<repo>, URL, path, bytes or weights map) and compiles it on a backend. */
export function loadModel(source: ModelSource, options?: LoadModelOptions): Promise<SwinModel> {
  return loadModelOn(NODE_PLATFORM, source, options);
}

/** Reads a checkpoint from any source as loadModel does (downloads and cache included), without a backend: for tools that convert or export it. */
export function readCheckpoint(source: ModelSource, options?: LoadModelOptions): Promise<ReadCheckpoint> {
  return readCheckpointOn(NODE_PLATFORM, source, options);
}
