// Every tensor a run creates is freed: after 100 runs tfjs holds exactly the tensors and bytes it
// held after the first (the weights and their cached transposes).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SWIN_V1_DEFAULTS, SeededRandom, buildSwinV1Graph, randomSwinV1Weights, tensor } from '@swin/core';
import { createTfjsNodeBackend, type TfjsNodeBackendKind } from '../src/node/index.js';

const config = { ...SWIN_V1_DEFAULTS, img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 };

describe.each<TfjsNodeBackendKind>(['cpu', 'wasm'])('tfjs-%s memory', (kind) => {
  it('frees every intermediate: numTensors and numBytes unchanged over 100 runs', async () => {
    const backend = await createTfjsNodeBackend(kind);
    const before = tf.memory();
    const { graph } = buildSwinV1Graph(config, randomSwinV1Weights(config, 5), { batch: 1, outputs: ['logits', 'stage0', 'pooled'] });
    const exe = await backend.compile(graph);
    const input = tensor('float32', [2, 3, 32, 32], new SeededRandom(6).normalArray(2 * 3 * 32 * 32));
    const first = await exe.run({ input });
    const settled = tf.memory();
    for (let i = 0; i < 100; i++) {
      const out = await exe.run({ input });
      expect(out['logits']!.data).toEqual(first['logits']!.data);
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(settled.numTensors);
    expect(after.numBytes).toBe(settled.numBytes);
    expect(after.numDataBuffers).toBe(settled.numDataBuffers);
    exe.dispose();
    await backend.dispose();
    // Disposing the executable and the backend returns tfjs to where it was before compile.
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});
