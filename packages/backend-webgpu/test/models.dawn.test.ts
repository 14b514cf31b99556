import { SWIN_V1_DEFAULTS, SeededRandom, buildSwinV1Graph, createReferenceBackend, randomSwinV1Weights, tensor, toFloat32 } from '@swin/core';
import { afterAll, describe, expect, it } from 'vitest';
import { compareArrays } from '@swin/conformance';
import { dawnBackend, disposeDawnBackends } from './helpers/dawn-backend.js';
import { checkFixture } from './helpers/fixture-check.js';
import { readFixtureFiles, swinV1FixtureNames } from './helpers/fixtures.js';

/** fp32 against the float64 PyTorch outputs: the bar. */
const FP32_FIXTURE_TOLERANCE = 1e-3;

describe('webgpu on Dawn: whole Swin models', () => {
  afterAll(disposeDawnBackends);

  it('matches the reference backend on a random tiny Swin at batch 1 and, from the same compile, batch 3', async () => {
    const config = { ...SWIN_V1_DEFAULTS, img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 };
    const model = buildSwinV1Graph(config, randomSwinV1Weights(config, 11), { outputs: 'all' });
    const backend = await dawnBackend();
    const exe = await backend.compile(model.graph);
    const ref = await createReferenceBackend().compile(model.graph);
    const rng = new SeededRandom(12);
    for (const batch of [1, 3]) {
      const input = tensor('float32', [batch, 3, 32, 32], rng.normalArray(batch * 3 * 32 * 32));
      const got = await exe.run({ input });
      const want = await ref.run({ input });
      for (const [name, w] of Object.entries(want)) {
        const g = got[name];
        expect(g?.shape, name).toEqual(w.shape);
        const { maxAbs, scale } = compareArrays(g ? toFloat32(g).data : [], toFloat32(w).data, name);
        expect(maxAbs, `${name} at batch ${batch}`).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));
      }
    }
    exe.dispose();
  });

  const names = swinV1FixtureNames();
  it('finds the Swin V1 fixtures', () => expect(names.length).toBeGreaterThanOrEqual(5));

  for (const name of names) {
    it(`fixture ${name}: every recorded output within ${FP32_FIXTURE_TOLERANCE} of float64 (fp32)`, async () => {
      const errors = await checkFixture(await dawnBackend(), readFixtureFiles(name));
      const worst = Math.max(...Object.values(errors));
      console.log(`${name}: max abs error vs float64 ${worst.toExponential(2)} over ${Object.keys(errors).length} outputs`);
      expect(Object.keys(errors).length).toBeGreaterThanOrEqual(8);
      for (const [out, e] of Object.entries(errors)) expect(e, out).toBeLessThanOrEqual(FP32_FIXTURE_TOLERANCE);
    });
  }
});
