// The dtype option: float16 where the backend computes in it (onnx), a typed error where it would
// be ignored (reference, tfjs) or is not a dtype, so model.info.dtype is always what runs.
import { join } from 'node:path';
import { toFloat32 } from '@swin/core';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/node/index.js';

const root = join(import.meta.dirname, '../../..');
const weights = join(root, 'models/default/weights.safetensors');
const pictures = ['blue-heart.png', 'red-circle.jpg', 'red-square.webp'].map((f) => join(root, 'examples', f));

describe('dtype', () => {
  it('onnx float16 computes in float16: the float32 answers within float16 rounding, not bit-equal', async () => {
    const f32 = await loadModel(weights, { backend: 'onnx' });
    const f16 = await loadModel(weights, { backend: 'onnx', dtype: 'float16' });
    try {
      expect(f32.info.dtype).toBe('float32');
      expect(f16.info.dtype).toBe('float16');
      const [a, b] = [await f32.classify(pictures, { topk: 1 }), await f16.classify(pictures, { topk: 1 })];
      expect(b.map((r) => r[0]!.label)).toEqual(a.map((r) => r[0]!.label));
      const input = { dtype: 'float32' as const, shape: [1, 3, 64, 64], data: Float32Array.from({ length: 3 * 64 * 64 }, (_, i) => Math.sin(i)) };
      const la = toFloat32((await f32.run(input))['logits']!).data;
      const lb = toFloat32((await f16.run(input))['logits']!).data;
      let diff = 0;
      for (let i = 0; i < la.length; i++) diff = Math.max(diff, Math.abs(la[i]! - lb[i]!));
      // float16 keeps 11 significant bits: logits of a few units move by ~1e-3, never by 0.1.
      expect(diff).toBeGreaterThan(0);
      expect(diff).toBeLessThan(0.1);
    } finally {
      await f32.dispose();
      await f16.dispose();
    }
  });

  it('a backend that computes only in float32 refuses float16 (UNSUPPORTED_DTYPE), naming the backend', async () => {
    for (const backend of ['reference', 'tfjs']) {
      await expect(loadModel(weights, { backend, dtype: 'float16' })).rejects.toMatchObject({ code: 'UNSUPPORTED_DTYPE', message: expect.stringContaining(`backend '${backend}' cannot compute in float16`) });
    }
  });

  it('a dtype that is not one is INVALID_ARGUMENT before anything loads', async () => {
    await expect(loadModel(weights, { dtype: 'int8' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'dtype: expected float32 or float16, found "int8"' });
  });
});
