// @swin/backend-tfjs: Swin on TensorFlow.js. Browser-safe; Node's cpu / wasm setup is in
// '@swin/backend-tfjs/node'.
export * from './tfjs-backend.js';
export * from './register-tfjs-backend.js';
export { createTfjsKernelTable } from './tfjs-kernel-table.js';
export { DerivedTensorCache } from './derived-tensor-cache.js';
export { uploadTensor, downloadTensor } from './tensor-transfer.js';
