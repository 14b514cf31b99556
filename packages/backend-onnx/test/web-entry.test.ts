// The browser entry on onnxruntime-web's wasm provider. Node can load onnxruntime-web too, so the
// same code path a browser takes (wasm kernels, in-memory external data) is checked here.
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '@swin/core';
import { createOnnxBackend } from '../src/web.js';
import { maxAbsDiff, randomImage, tinySwin } from './helpers/tiny-swin.js';

describe('web entry (onnxruntime-web, wasm)', () => {
  it('runs a tiny Swin at a dynamic batch and matches the reference backend', async () => {
    const model = tinySwin({ outputs: ['logits', 'stage0'] });
    const backend = createOnnxBackend({ threads: 1 });
    const exe = await backend.compile(model.graph);
    const input = randomImage(2, 32, 32);
    const ours = await exe.run({ input });
    const ref = await (await createReferenceBackend().compile(model.graph)).run({ input });
    expect(maxAbsDiff(ours['logits']!, ref['logits']!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(ours['stage0']!, ref['stage0']!)).toBeLessThan(1e-4);
    await backend.dispose();
  });
});
