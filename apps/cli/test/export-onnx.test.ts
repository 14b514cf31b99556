import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModelGraph, createReferenceBackend, inferModelConfig, npyToTensor, parseNpy, tensor } from '@swin/core';
import { readWeightsFile } from '@swin/weights/node';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { FIXTURES, filesIn, swin, tempDir } from './cli-helpers.js';

describe('swin export-onnx', () => {
  for (const fixture of ['v1_rand_t32_w4', 'v2_rand_pws_t32_w4', 'cf_rand_rect_24x40_pad']) {
    it(`${fixture}: the file runs on onnxruntime at any batch and matches the reference`, async () => {
      const dir = tempDir();
      const weights = join(FIXTURES, fixture, 'weights.safetensors');
      const input = npyToTensor(parseNpy(new Uint8Array(readFileSync(join(FIXTURES, fixture, 'input.npy')))));
      const size = `${input.shape[2]}x${input.shape[3]}`;
      const r = swin(['export-onnx', '--weights', weights, '-o', join(dir, 'm.onnx'), '--size', size, '--outputs', 'logits,stages']);
      expect(r.code, r.stderr).toBe(0);
      const session = await ort.InferenceSession.create(join(dir, 'm.onnx'));
      expect(session.inputNames).toEqual(['input']);
      // batch 3: the two fixture images plus the first again (the file was built at batch 1)
      const per = input.data.length / 2;
      const three = new Float32Array(3 * per);
      three.set(input.data as Float32Array, 0);
      three.set((input.data as Float32Array).subarray(0, per), 2 * per);
      const out = await session.run({ input: new ort.Tensor('float32', three, [3, ...input.shape.slice(1)]) });
      const loaded = readWeightsFile(weights);
      const config = inferModelConfig(loaded.weights, JSON.parse(readFileSync(join(FIXTURES, fixture, 'config.json'), 'utf8')));
      const built = buildModelGraph(config, loaded.weights, { inputSize: [input.shape[2]!, input.shape[3]!], outputs: ['logits'] });
      const ref = (await (await createReferenceBackend().compile(built.graph)).run({ input: tensor('float32', [3, ...input.shape.slice(1)], three) }))['logits']!;
      const got = out['logits']!.data as Float32Array;
      let maxAbs = 0;
      for (let i = 0; i < got.length; i++) maxAbs = Math.max(maxAbs, Math.abs(got[i]! - (ref.data as Float32Array)[i]!));
      expect(out['logits']!.dims).toEqual([3, config.num_classes]);
      expect(maxAbs).toBeLessThan(1e-4);
      expect(Object.keys(out).sort()).toEqual(['logits', ...config.depths.map((_, i) => `stage${i}`)].sort());
    });
  }

  it('--dtype int8 writes a smaller file of integer products that runs on onnxruntime near float32', async () => {
    const dir = tempDir();
    const weights = join(FIXTURES, 'v1_rand_t32_w4', 'weights.safetensors');
    const input = npyToTensor(parseNpy(new Uint8Array(readFileSync(join(FIXTURES, 'v1_rand_t32_w4', 'input.npy')))));
    const logits = new Map<string, Float32Array>();
    for (const dtype of ['f32', 'int8']) {
      const path = join(dir, `${dtype}.onnx`);
      const r = swin(['export-onnx', '--weights', weights, '-o', path, '--dtype', dtype]);
      expect(r.code, r.stderr).toBe(0);
      const session = await ort.InferenceSession.create(path);
      const out = await session.run({ input: new ort.Tensor('float32', input.data as Float32Array, [...input.shape]) });
      logits.set(dtype, out['logits']!.data as Float32Array);
      await session.release();
    }
    const a = logits.get('int8')!;
    const b = logits.get('f32')!;
    let dot = 0, aa = 0, bb = 0;
    for (let i = 0; i < a.length; i++) [dot, aa, bb] = [dot + a[i]! * b[i]!, aa + a[i]! * a[i]!, bb + b[i]! * b[i]!];
    expect(dot / Math.sqrt(aa * bb)).toBeGreaterThan(0.99);
    expect(readFileSync(join(dir, 'int8.onnx')).includes('MatMulInteger')).toBe(true);
    expect(swin(['export-onnx', '--weights', weights, '-o', join(dir, 'x.onnx'), '--dtype', 'int4']).code).toBe(2);
  });

  it('--size dynamic: one file runs fixture-sized and other inputs on onnxruntime, matching the reference at each size', async () => {
    for (const fixture of ['v1_rand_t32_w4', 'v2_rand_pws_t32_w4', 'cf_rand_rect_24x40_pad', 'cfpp_rand_3stage_alter_pad1_adaptive']) {
      const dir = tempDir();
      const weights = join(FIXTURES, fixture, 'weights.safetensors');
      // CrossFormer++'s group_type, pad_type and adaptive_interval are not in the weights: the config says them.
      const configArgs = fixture.startsWith('cfpp_') ? ['--config', join(FIXTURES, fixture, 'config.json')] : [];
      const r = swin(['export-onnx', '--weights', weights, ...configArgs, '-o', join(dir, 'm.onnx'), '--size', 'dynamic']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/input 'input' \[batch,3,height,width\]/);
      const session = await ort.InferenceSession.create(join(dir, 'm.onnx'));
      const loaded = readWeightsFile(weights);
      const config = inferModelConfig(loaded.weights, JSON.parse(readFileSync(join(FIXTURES, fixture, 'config.json'), 'utf8')));
      for (const [h, w] of [[32, 32], [37, 50]] as const) {
        const input = tensor('float32', [1, 3, h, w], Float32Array.from({ length: 3 * h * w }, (_, i) => Math.sin(i * 0.37)));
        const out = await session.run({ input: new ort.Tensor('float32', input.data as Float32Array, [1, 3, h, w]) });
        const built = buildModelGraph(config, loaded.weights, { inputSize: [h, w], outputs: ['logits'] });
        const ref = (await (await createReferenceBackend().compile(built.graph)).run({ input }))['logits']!;
        const got = out['logits']!.data as Float32Array;
        let maxAbs = 0;
        for (let i = 0; i < got.length; i++) maxAbs = Math.max(maxAbs, Math.abs(got[i]! - (ref.data as Float32Array)[i]!));
        expect(maxAbs, `${fixture} ${h}x${w}`).toBeLessThan(1e-4);
      }
      await session.release();
    }
    const bad = swin(['export-onnx', '--weights', join(FIXTURES, 'v1_rand_t32_w4', 'weights.safetensors'), '-o', join(tempDir(), 'm.onnx'), '--size', 'dynamic', '--dtype', 'int8']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--size dynamic: expected --dtype f32/);
    // CPE's convolution has one channel per token row of the training map: refused by name, nothing written.
    const cpe = join(FIXTURES, 'cfpp_rand_cpe_acl_rect_40x56');
    const cpeOut = join(tempDir(), 'cpe.onnx');
    const refused = swin(['export-onnx', '--weights', join(cpe, 'weights.safetensors'), '--config', join(cpe, 'config.json'), '-o', cpeOut, '--size', 'dynamic']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/use_cpe must be false .*training height/);
    expect(existsSync(cpeOut)).toBe(false);
  });

  it('fails with one line and no file for a bad checkpoint', () => {
    const dir = tempDir();
    const r = swin(['export-onnx', '--weights', join(FIXTURES, 'v1_rand_t32_w4/input.npy'), '-o', join(dir, 'm.onnx')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(filesIn(dir)).toEqual([]);
  });
});
