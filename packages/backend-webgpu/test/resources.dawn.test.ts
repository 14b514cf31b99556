import { GraphBuilder, SWIN_V1_DEFAULTS, SeededRandom, SwinError, buildSwinV1Graph, randomSwinV1Weights, tensor, toFloat32 } from '@swin/core';
import { describe, expect, it } from 'vitest';
import { compareArrays } from '@swin/conformance';
import { countBuffers } from './helpers/count-buffers.js';
import { WebGpuAllocationError, WebGpuDeviceLostError, createDawnGpu, createWebGpuBackend } from '../src/node/index.js';

const config = { ...SWIN_V1_DEFAULTS, img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 };

async function dawnDevice(): Promise<GPUDevice> {
  const { gpu, adapterOptions } = await createDawnGpu();
  const adapter = await gpu.requestAdapter(adapterOptions);
  return adapter!.requestDevice({ requiredFeatures: adapter!.features.has('timestamp-query') ? ['timestamp-query'] : [] });
}

async function expectCode(p: Promise<unknown>, code: string): Promise<SwinError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SwinError);
  expect((e as SwinError).code).toBe(code);
  return e as SwinError;
}

describe('webgpu on Dawn: resources and typed errors', () => {
  it('dispose() destroys every buffer it created (counted on the device)', async () => {
    const device = await dawnDevice();
    const count = countBuffers(device);
    const backend = await createWebGpuBackend({ device });
    const model = buildSwinV1Graph(config, randomSwinV1Weights(config, 3), { outputs: 'all' });
    const exe = await backend.compile(model.graph);
    const rng = new SeededRandom(4);
    await exe.run({ input: tensor('float32', [1, 3, 32, 32], rng.normalArray(3 * 32 * 32)) });
    await exe.run({ input: tensor('float32', [2, 3, 32, 32], rng.normalArray(2 * 3 * 32 * 32)) });
    await exe.profile({ input: tensor('float32', [2, 3, 32, 32], rng.normalArray(2 * 3 * 32 * 32)) });
    const exe2 = await backend.compile(model.graph);
    expect(count.alive()).toBeGreaterThan(model.graph.constants.size);
    expect(backend.liveBufferCount).toBe(count.alive());
    console.log(`buffers: ${count.created()} created, ${count.alive()} alive before dispose`);
    exe.dispose();
    expect(backend.liveBufferCount).toBe(exe2.liveBuffers);
    await backend.dispose();
    expect(count.alive()).toBe(0);
    expect(backend.liveBufferCount).toBe(0);
    await expectCode(exe.run({ input: tensor('float32', [1, 3, 32, 32], new Float32Array(3 * 32 * 32)) }), 'DISPOSED');
    await expectCode(backend.compile(model.graph), 'DISPOSED');
    device.destroy();
  });

  it('a lost device gives WebGpuDeviceLostError on the next run', async () => {
    const device = await dawnDevice();
    const backend = await createWebGpuBackend({ device });
    const b = new GraphBuilder(true);
    b.output(b.gelu(b.input('x', 'float32', [1, 8])));
    const exe = await backend.compile(b.build());
    await exe.run({ x: tensor('float32', [1, 8], new Float32Array(8)) });
    device.destroy();
    await device.lost;
    const e = await expectCode(exe.run({ x: tensor('float32', [1, 8], new Float32Array(8)) }), 'BACKEND_FAILURE');
    expect(e).toBeInstanceOf(WebGpuDeviceLostError);
    await backend.dispose();
  });

  it('a buffer past the device limits gives WebGpuAllocationError and leaks nothing', async () => {
    const device = await dawnDevice();
    const count = countBuffers(device);
    const backend = await createWebGpuBackend({ device });
    const huge = Math.ceil(device.limits.maxBufferSize / 4) + 1024;
    const b = new GraphBuilder(true);
    b.output(b.reduceMean(b.input('x', 'float32', [1, huge]), [1]));
    const e = await expectCode(backend.compile(b.build()), 'BACKEND_FAILURE');
    expect(e).toBeInstanceOf(WebGpuAllocationError);
    expect(e.message).toMatch(/exceeds the device limit/);
    expect(count.alive()).toBe(0);
    await backend.dispose();
    device.destroy();
  });

  it('float16: runs within tolerance where the adapter has shader-f16, otherwise refuses with UNSUPPORTED_DTYPE', async () => {
    const device = await dawnDevice();
    const backend = await createWebGpuBackend({ device, float16: true });
    const model = buildSwinV1Graph(config, randomSwinV1Weights(config, 5), { outputs: ['logits'] });
    if (!backend.float16Available) {
      console.log('float16: this adapter has no shader-f16; compile refuses with UNSUPPORTED_DTYPE');
      await expectCode(backend.compile(model.graph), 'UNSUPPORTED_DTYPE');
    } else {
      const f32 = await backend.compile(model.graph, { dtype: 'float32' });
      const f16 = await backend.compile(model.graph);
      const input = tensor('float32', [1, 3, 32, 32], new SeededRandom(6).normalArray(3 * 32 * 32));
      const a = (await f32.run({ input }))['logits'];
      const h = (await f16.run({ input }))['logits'];
      const err = compareArrays(h ? toFloat32(h).data : [], a ? toFloat32(a).data : [], 'float16 logits').maxAbs;
      console.log(`float16 logits max abs error vs float32: ${err}`);
      expect(err).toBeLessThanOrEqual(5e-2);
    }
    await backend.dispose();
    device.destroy();
  });
});
