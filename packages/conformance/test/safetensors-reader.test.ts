import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '@swin/core';
import { readSafetensors } from '../src/index.js';
import { findRepoRoot } from '../src/node/index.js';

const schemes = join(findRepoRoot(), 'fixtures', 'schemes');

describe('readSafetensors', () => {
  it.runIf(existsSync(join(schemes, 'canonical.safetensors')))('reads F32 and widens F16 / BF16 to the same values within their precision', () => {
    const f32 = readSafetensors(new Uint8Array(readFileSync(join(schemes, 'canonical.safetensors'))));
    const f16 = readSafetensors(new Uint8Array(readFileSync(join(schemes, 'canonical_fp16.safetensors'))));
    const bf16 = readSafetensors(new Uint8Array(readFileSync(join(schemes, 'canonical_bf16.safetensors'))));
    const w = f32.tensors.get('patch_embed.proj.weight')!;
    expect(w.dtype).toBe('float32');
    for (const [other, rel] of [[f16, 2 ** -10], [bf16, 2 ** -7]] as const) {
      const t = other.tensors.get('patch_embed.proj.weight')!;
      expect(t.shape).toEqual(w.shape);
      const a = w.data as Float32Array;
      const b = t.data as Float32Array;
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(Math.abs(a[i]!) * rel + 1e-7);
    }
  });

  it('names the offset of a header that does not fit', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 1000n, true);
    expect(() => readSafetensors(bytes)).toThrow(FormatError);
    expect(() => readSafetensors(bytes)).toThrow(/header length 1000 exceeds/);
  });

  it('refuses data_offsets that disagree with the shape', () => {
    const header = new TextEncoder().encode(JSON.stringify({ w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } }));
    const bytes = new Uint8Array(8 + header.length + 12);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    expect(() => readSafetensors(bytes)).toThrow(/do not hold 4 F32 values/);
  });
});
