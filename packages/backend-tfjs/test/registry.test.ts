import { createBackend, listBackends, buildSwinV1Graph, randomSwinV1Weights, SWIN_V1_DEFAULTS, SeededRandom, tensor, BackendError } from '@swin/core';
import { describe, expect, it } from 'vitest';
import { registerTfjsNodeBackends, createTfjsNodeBackend } from '../src/node/index.js';
import { createTfjsBackend } from '../src/index.js';

describe('registration', () => {
  it("registers 'tfjs' (cpu) and 'tfjs-wasm' in core's registry", async () => {
    registerTfjsNodeBackends();
    expect(listBackends()).toEqual(expect.arrayContaining(['tfjs', 'tfjs-wasm']));
    const wasm = await createBackend('tfjs-wasm');
    const cpu = await createBackend('tfjs');
    expect(wasm.name).toBe('tfjs-wasm');
    expect(cpu.name).toBe('tfjs');
    expect([...wasm.capabilities.ops]).toEqual(expect.arrayContaining(['matmul', 'linear', 'windowAttention', 'windowPartition', 'windowReverse', 'patchMerging']));
    expect([...wasm.capabilities.dtypes].sort()).toEqual(['float32', 'int32']);
    await wasm.dispose();
    await cpu.dispose();
  });

  it('two backends on different tfjs backends can alternate runs in one process', async () => {
    const config = { ...SWIN_V1_DEFAULTS, img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 };
    const { graph } = buildSwinV1Graph(config, randomSwinV1Weights(config, 1), { batch: 1 });
    const input = tensor('float32', [1, 3, 32, 32], new SeededRandom(2).normalArray(3 * 32 * 32));
    const cpu = await createTfjsNodeBackend('cpu');
    const wasm = await createTfjsNodeBackend('wasm');
    const [ec, ew] = [await cpu.compile(graph), await wasm.compile(graph)];
    const a = await ec.run({ input });
    const b = await ew.run({ input });
    const c = await ec.run({ input });
    expect(c['logits']!.data).toEqual(a['logits']!.data);
    const diff = Math.max(...Array.from(a['logits']!.data as Float32Array, (v, i) => Math.abs(v - (b['logits']!.data as Float32Array)[i]!)));
    expect(diff).toBeLessThan(1e-4);
    ec.dispose();
    ew.dispose();
    await cpu.dispose();
    await wasm.dispose();
  });

  it('runs tfjs-wasm on its SIMD binary, single-threaded in Node', async () => {
    const backend = await createTfjsNodeBackend('wasm');
    const tf = await import('@tensorflow/tfjs-core');
    expect(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')).toBe(true);
    expect(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    await backend.dispose();
  });

  it('turns a tfjs backend without a kernel we use into UNSUPPORTED_OP', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const { MathBackendCPU } = await import('@tensorflow/tfjs-backend-cpu');
    // Kernels are registered per backend name: a cpu backend under a new name has none at all.
    tf.registerBackend('bare', () => new MathBackendCPU());
    const config = { ...SWIN_V1_DEFAULTS, img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 };
    const { graph } = buildSwinV1Graph(config, randomSwinV1Weights(config, 1), { batch: 1 });
    const backend = await createTfjsBackend({ tfBackend: 'bare' });
    const exe = await backend.compile(graph);
    const input = tensor('float32', [1, 3, 32, 32], new Float32Array(3 * 32 * 32));
    await expect(exe.run({ input })).rejects.toMatchObject({ code: 'UNSUPPORTED_OP', message: expect.stringMatching(/'bare' has no '\w+' kernel/) });
    exe.dispose();
    await backend.dispose();
    tf.removeBackend('bare');
  });

  it('names the registered tfjs backends when asked for one that is not', async () => {
    await expect(createTfjsBackend({ tfBackend: 'webgpu' })).rejects.toThrow(BackendError);
    await expect(createTfjsBackend({ tfBackend: 'webgpu' })).rejects.toThrow(/not registered.*cpu/);
  });
});
