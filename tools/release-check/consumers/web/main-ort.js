import * as ort from 'onnxruntime-web';
import { createOnnxBackend } from '@swin/backend-onnx/web';
import { classifyPage } from './classify-page.js';

// One wasm thread: a plain static server gives no cross-origin isolation (no SharedArrayBuffer).
ort.env.wasm.numThreads = 1;
classifyPage(() => createOnnxBackend({ executionProviders: ['wasm'] }));
