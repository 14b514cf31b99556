import { describe, expect, it } from 'vitest';
import { SWIN_V1_DEFAULTS, buildSwinGraph, createReferenceBackend, randomSwinWeights, countMacs, tensor, SeededRandom, inferSwinConfig } from '../src/index.js';

describe('smoke', () => {
  it('builds and runs a tiny swin', async () => {
    const config = { ...SWIN_V1_DEFAULTS, img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 };
    const weights = randomSwinWeights(config, 1);
    expect(inferSwinConfig(weights)).toMatchObject({ embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10, img_size: 32 });
    const model = buildSwinGraph(config, weights, { outputs: 'all' });
    console.log(model.graph.nodes.length, countMacs(model.graph), model.parameterCount);
    const backend = createReferenceBackend();
    const exe = await backend.compile(model.graph);
    const rng = new SeededRandom(3);
    const out = await exe.run({ input: tensor('float32', [2, 3, 32, 32], rng.normalArray(2 * 3 * 32 * 32)) });
    expect(out['logits']!.shape).toEqual([2, 10]);
  });
});
