import { describe, expect, it, vi } from 'vitest';
import ort from 'onnxruntime-node';
import { ALL_OPS, BackendError, ShapeError, createBackend, createReferenceBackend, listBackends } from '@swin/core';
import { createOnnxBackend } from '../src/node.js';
import { maxAbsDiff, randomImage, tinySwin } from './helpers/tiny-swin.js';

describe('onnx backend (onnxruntime-node)', () => {
  it('declares every op native, so core lowers nothing before compile', () => {
    const backend = createOnnxBackend({ threads: 1 });
    expect(backend.name).toBe('onnx');
    expect([...backend.capabilities.ops].sort()).toEqual([...ALL_OPS].sort());
    expect(backend.capabilities.dtypes.has('float16')).toBe(true);
  });

  it('runs a graph built at batch 1 at batch 3 and matches the reference backend', async () => {
    const model = tinySwin({ outputs: 'all' });
    const backend = createOnnxBackend({ threads: 1 });
    const progress: string[] = [];
    const exe = await backend.compile(model.graph, { onProgress: (_d, _t, label) => progress.push(label) });
    expect(progress).toContain('create session');
    const input = randomImage(3, 32, 32);
    const ours = await exe.run({ input });
    const ref = await (await createReferenceBackend().compile(model.graph)).run({ input });
    expect(Object.keys(ours).sort()).toEqual(Object.keys(ref).sort());
    for (const name of Object.keys(ref)) expect(maxAbsDiff(ours[name]!, ref[name]!), name).toBeLessThan(1e-4);
    exe.dispose();
    await backend.dispose();
  });

  it('validates inputs with typed errors naming expected vs found', async () => {
    const backend = createOnnxBackend({ threads: 1 });
    const exe = await backend.compile(tinySwin().graph);
    await expect(exe.run({ input: randomImage(1, 31, 32) })).rejects.toThrow(ShapeError);
    await expect(exe.run({ input: randomImage(1, 31, 32) })).rejects.toThrow(/expected shape \[N,3,32,32\], found \[1,3,31,32\]/);
    await expect(exe.run({})).rejects.toThrow(/missing input 'input'/);
    exe.dispose();
    await expect(exe.run({ input: randomImage(1, 32, 32) })).rejects.toThrow(BackendError);
    await backend.dispose();
    await expect(backend.compile(tinySwin().graph)).rejects.toThrow(/disposed/);
  });

  it('compiles float16 when asked (float32 inputs and outputs)', async () => {
    const model = tinySwin();
    const backend = createOnnxBackend({ threads: 1 });
    const exe = await backend.compile(model.graph, { dtype: 'float16' });
    const input = randomImage(2, 32, 32);
    const out = await exe.run({ input });
    const ref = await (await createReferenceBackend().compile(model.graph)).run({ input });
    expect(out['logits']!.dtype).toBe('float32');
    expect(maxAbsDiff(out['logits']!, ref['logits']!)).toBeLessThan(5e-2);
    await backend.dispose();
  });

  it("is registered as 'onnx' in core's registry by the node entry", async () => {
    expect(listBackends()).toContain('onnx');
    const backend = await createBackend('onnx');
    expect(backend.name).toBe('onnx');
    await backend.dispose();
  });

  it("takes createBackend's threads as the session's intra-op threads", async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    try {
      const backend = await createBackend('onnx', { threads: 1 });
      expect(backend.threads).toBe(1);
      const exe = await backend.compile(tinySwin().graph);
      expect(create).toHaveBeenCalledTimes(1);
      expect(create.mock.calls[0]![1]).toMatchObject({ intraOpNumThreads: 1, interOpNumThreads: 1 });
      exe.dispose();
      await backend.dispose();
    } finally {
      create.mockRestore();
    }
    // Without the option the node entry's default (the machine's cores) is what it reports.
    const byDefault = await createBackend('onnx');
    expect(byDefault.threads).toBeGreaterThanOrEqual(1);
    await byDefault.dispose();
  });
});
