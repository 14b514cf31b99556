// Runs one fixture model on a backend and measures every recorded output against float64;
// browser-safe (the caller supplies the bytes), shared by the Node and Chromium tests.

import { compareArrays } from '@swin/conformance';
import { SWIN_V1_DEFAULTS, buildSwinV1Graph, dimsOf, mergeSwinV1Config, toFloat32, npyToTensor, parseNpy, readSafetensorsBytes, type Backend } from '@swin/core';

/** Raw files of a fixture, by file name. */
export type FixtureFiles = ReadonlyMap<string, Uint8Array>;

/** Max abs error per output name. */
export async function checkFixture(backend: Backend, files: FixtureFiles): Promise<Record<string, number>> {
  const file = (name: string): Uint8Array => {
    const bytes = files.get(name);
    if (!bytes) throw new Error(`fixture has no ${name}`);
    return bytes;
  };
  const raw = JSON.parse(new TextDecoder().decode(file('config.json'))) as Record<string, unknown>;
  const config = mergeSwinV1Config(SWIN_V1_DEFAULTS, raw);
  const weights = readSafetensorsBytes(file('weights.safetensors')).tensors;
  const input = npyToTensor(parseNpy(file('input.npy')));
  const [, , h, w] = dimsOf(input.shape, 4, 'fixture input');
  const model = buildSwinV1Graph(config, weights, { inputSize: [h, w], outputs: 'all' });
  const exe = await backend.compile(model.graph);
  try {
    const got = await exe.run({ input });
    const errors: Record<string, number> = {};
    for (const [name, bytes] of files) {
      const output = /^(.+)_f64\.npy$/.exec(name)?.[1];
      const g = output === undefined ? undefined : got[output];
      if (output === undefined || !g) continue;
      errors[output] = compareArrays(toFloat32(g).data, parseNpy(bytes).data as Float64Array, output).maxAbs;
    }
    return errors;
  } finally {
    exe.dispose();
  }
}
