// Bundled into the page by chromium-int8.test.ts: a tiny Swin on onnxruntime-web's wasm provider
// through the browser entry, float32 and int8, logits handed back to the test.
import * as ort from 'onnxruntime-web';
import { createOnnxBackend } from '../../src/web.js';
import type { OnnxExportDtype } from '../../src/index.js';
import { randomImage, tinySwin } from '../helpers/tiny-swin.js';

ort.env.wasm.wasmPaths = '/ort/';
ort.env.wasm.numThreads = 1;

async function logits(dtype: OnnxExportDtype): Promise<number[]> {
  const backend = createOnnxBackend({ dtype, executionProviders: ['wasm'] });
  try {
    const exe = await backend.compile(tinySwin().graph);
    const out = await exe.run({ input: randomImage(2, 32, 32) });
    return Array.from(out['logits']!.data as Float32Array);
  } finally {
    await backend.dispose();
  }
}

(globalThis as unknown as { int8Harness: unknown }).int8Harness = {
  run: async () => ({ float32: await logits('float32'), int8: await logits('int8') }),
};
