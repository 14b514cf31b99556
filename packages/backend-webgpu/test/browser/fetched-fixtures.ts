// @swin/conformance ModelFixtures for the page: the repository's own fixtures (weights.safetensors,
// config.json, input.npy, NAME[_f64].npy), fetched from the test server, which lists the files.

import type { ExpectedOutput, ModelFixture } from '@swin/conformance';
import { npyToTensor, parseNpy, readSafetensorsBytes, tensor, toFloat32 } from '@swin/core';

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`fetch ${url}: ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** A fixture directory as the server lists it. */
export interface FixtureListing {
  readonly family: string;
  readonly files: string[];
}

/** One fixture per listed directory. */
export function fetchedFixtures(listing: Record<string, FixtureListing>): ModelFixture[] {
  return Object.entries(listing).map(([name, { family, files: list }]) => ({
    name,
    source: 'fixtures',
    family,
    description: `fixtures/${name} (fetched)`,
    async load() {
      const base = `/fixtures/${name}/`;
      const config = JSON.parse(new TextDecoder().decode(await fetchBytes(`${base}config.json`))) as Record<string, unknown>;
      const { tensors } = readSafetensorsBytes(await fetchBytes(`${base}weights.safetensors`));
      const rawInput = npyToTensor(parseNpy(await fetchBytes(`${base}input.npy`)));
      const input = rawInput.dtype === 'float32' ? rawInput : toFloat32(rawInput);
      const outputs = new Set(list.filter((f) => f.endsWith('.npy') && f !== 'input.npy').map((f) => f.replace(/(_f64)?\.npy$/, '')));
      const expected: ExpectedOutput[] = [];
      for (const out of [...outputs].sort()) {
        const f64 = list.includes(`${out}_f64.npy`);
        const a = parseNpy(await fetchBytes(`${base}${out}${f64 ? '_f64' : ''}.npy`));
        const data = a.dtype === 'float64' ? (a.data as Float64Array) : toFloat32(tensor(a.dtype as 'float32', a.shape, a.data as Float32Array)).data;
        expected.push({ name: out, shape: a.shape, data, precision: a.dtype === 'float64' ? 'float64' : 'float32' });
      }
      return { config, weights: tensors, input, expected };
    },
  }));
}
