// What both entries (Node and browser) export besides loadModel.
export type * from './types.js';
export { SwinModel } from './swin-model.js';
export { topK } from './top-k.js';
export { outputOf } from './run-outputs.js';
export { chooseBackend, openNamedBackend, type BackendProvider, type BackendProviders, type ChosenBackend } from './backend-choice.js';
export { architectureDifferences, assertVariantArchitecture } from './architecture-check.js';
export { chooseLabels, parseLabelList } from './class-labels.js';
export { resolveSource, type ResolvedSource } from './model-source.js';
export { checkpointSizeCap, DEFAULT_DOWNLOAD_TIMEOUT_MS, DEFAULT_MAX_DOWNLOAD_BYTES, type DownloadOptions } from './download/download-options.js';
export { hubBaseUrl, hubFileUrl } from './hf-hub.js';
export { DEFAULT_MAX_PIXELS, PIXEL_LIMIT_HINT, type DecodeOptions } from './image-input.js';
