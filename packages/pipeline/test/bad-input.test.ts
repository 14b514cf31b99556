// Bad input is a typed one-line SwinError (or an AbortError), never a stack trace or a "NaN%".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SwinError, type TensorData } from '@swin/core';
import { loadWeights } from '@swin/weights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, topK, type SwinModel } from '../src/node/index.js';

const root = join(import.meta.dirname, '../../..');
const weightsPath = join(root, 'models/default/weights.safetensors');

describe('bad input', () => {
  let model: SwinModel;
  beforeAll(async () => {
    model = await loadModel(weightsPath, { backend: 'reference' });
  });
  afterAll(() => model.dispose());

  it('pictures of an unsupported type or undecodable bytes', async () => {
    await expect(model.classify({ foo: 1 } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('expected a path, URL, encoded bytes') });
    await expect(model.classify(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'INVALID_FORMAT', message: expect.stringContaining('expected a JPEG, PNG or WebP') });
    await expect(model.classify(join(root, 'README.md'))).rejects.toMatchObject({ code: 'INVALID_FORMAT' });
    await expect(model.classify([])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(model.classify({ dtype: 'float32', shape: [1, 4, 8, 8], data: new Float32Array(256) })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('NCHW') });
  });

  it('pixels, tensors and mixed sizes in one batch', async () => {
    const pixels = { width: 50, height: 30, channels: 4 as const, data: new Uint8Array(50 * 30 * 4).fill(200) };
    const grey = { width: 70, height: 90, channels: 1 as const, data: new Uint8Array(70 * 90).fill(30) };
    const tensor = { dtype: 'float32' as const, shape: [1, 3, 64, 64], data: new Float32Array(3 * 64 * 64) };
    const out = await model.classify([pixels, join(root, 'examples/blue-star.jpg'), tensor, grey], { topk: 2 });
    expect(out.map((r) => r.length)).toEqual([2, 2, 2, 2]);
    expect(out[1]![0]!.label).toBe('blue star');
  });

  it('unknown backends and variants list the known ones', async () => {
    await expect(loadModel(weightsPath, { backend: 'cuda' })).rejects.toMatchObject({ code: 'UNKNOWN_BACKEND', message: expect.stringMatching(/unknown backend 'cuda': expected auto or one of .*reference.*onnx/) });
    await expect(loadModel('swinv2-q')).rejects.toMatchObject({ message: expect.stringContaining('swinv2-t-256-w8-1k') });
  });

  it('an aborted load rejects with AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(loadModel(weightsPath, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('non-finite weights never print as a percentage', async () => {
    const { weights } = loadWeights(new Uint8Array(readFileSync(weightsPath)));
    const broken = new Map<string, TensorData>(weights);
    const bias = weights.get('head.bias')!;
    const data = Float32Array.from(bias.data as Float32Array);
    data[3] = Number.NaN;
    broken.set('head.bias', { ...bias, data });
    // refused at load (non-finite weights) or at classify (non-finite logits): a SwinError either way
    const attempt = loadModel(broken, { backend: 'reference' }).then((m) => m.classify(join(root, 'examples/red-circle.jpg')));
    await expect(attempt).rejects.toBeInstanceOf(SwinError);
    expect(() => topK([1, Number.POSITIVE_INFINITY, 0], 1)).toThrow(/non-finite logit/);
  });

  it('features rejects stages that do not exist', async () => {
    await expect(model.features(join(root, 'examples/blue-star.jpg'), { stages: [9] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(`expected 0..${model.info.config.depths.length - 1}`) });
  });
});
