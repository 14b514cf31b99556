// Runs one fixture model on a backend and measures every recorded output against float64;
// browser-safe (the caller supplies the bytes), shared by the Node and Chromium tests.

import { SWIN_V1_DEFAULTS, buildSwinV1Graph, mergeSwinV1Config, npyToTensor, parseNpy, readSafetensorsBytes, type Backend } from '@swin/core';

/** Raw files of a fixture, by file name. */
export type FixtureFiles = ReadonlyMap<string, Uint8Array>;

/** Max abs error per output name. */
export async function checkFixture(backend: Backend, files: FixtureFiles): Promise<Record<string, number>> {
  const raw = JSON.parse(new TextDecoder().decode(files.get('config.json')!)) as Record<string, unknown>;
  const config = mergeSwinV1Config(SWIN_V1_DEFAULTS, raw);
  const weights = readSafetensorsBytes(files.get('weights.safetensors')!).tensors;
  const input = npyToTensor(parseNpy(files.get('input.npy')!));
  const [, , h, w] = input.shape as [number, number, number, number];
  const model = buildSwinV1Graph(config, weights, { inputSize: [h, w], outputs: 'all' });
  const exe = await backend.compile(model.graph);
  try {
    const got = await exe.run({ input });
    const errors: Record<string, number> = {};
    for (const [file, bytes] of files) {
      const m = /^(.+)_f64\.npy$/.exec(file);
      if (!m || !got[m[1]!]) continue;
      const want = parseNpy(bytes).data as Float64Array;
      const g = got[m[1]!]!.data as Float32Array;
      let e = 0;
      for (let i = 0; i < want.length; i++) {
        const d = Math.abs(g[i]! - want[i]!);
        e = Number.isNaN(d) ? Infinity : Math.max(e, d);
      }
      if (g.length !== want.length) e = Infinity;
      errors[m[1]!] = e;
    }
    return errors;
  } finally {
    exe.dispose();
  }
}
