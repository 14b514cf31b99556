import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSwinGraph, createReferenceBackend, inferSwinConfig, npyToTensor, resolveSwinOutputs } from '../src/index.js';
import { FIXTURES_DIR, compare, listSafetensorsFixtures, readJson, readNpy, readSafetensorsF32 } from './helpers/fixtures.js';

const fixtures = listSafetensorsFixtures();

describe('reference executor vs PyTorch float64 fixtures', () => {
  it('finds the committed fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
  });

  for (const name of fixtures) {
    it(`${name}: every recorded output within 1e-5 of float64`, async () => {
      const dir = join(FIXTURES_DIR, name);
      const { tensors } = readSafetensorsF32(join(dir, 'weights.safetensors'));
      const config = inferSwinConfig(tensors, readJson<Record<string, unknown>>(join(dir, 'config.json')));
      const input = npyToTensor(readNpy(join(dir, 'input.npy')));
      const names = resolveSwinOutputs('all', config.depths, config.num_classes > 0).filter((o) => existsSync(join(dir, `${o}_f64.npy`)));
      expect(names.length).toBeGreaterThan(4);
      const model = buildSwinGraph(config, tensors, { inputSize: [input.shape[2]!, input.shape[3]!], outputs: names });
      expect(model.unusedWeights).toEqual([]);
      const exe = await createReferenceBackend().compile(model.graph);
      const out = await exe.run({ input });
      const rows: string[] = [];
      for (const o of names) {
        const ref = readNpy(join(dir, `${o}_f64.npy`));
        const got = out[o]!;
        expect(got.data.length).toBe(ref.data.length);
        const { maxAbs, maxRel } = compare(got.data as Float32Array, ref.data as Float64Array);
        rows.push(`${o}: abs ${maxAbs.toExponential(2)} rel ${maxRel.toExponential(2)}`);
        expect(maxAbs, `${name}/${o}`).toBeLessThanOrEqual(1e-5);
      }
      console.log(`${name}\n  ${rows.join('\n  ')}`);
    });
  }
});
