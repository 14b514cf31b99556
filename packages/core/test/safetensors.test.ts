import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, readSafetensorsBytes as readSafetensors } from '../src/index.js';
import { FIXTURES_DIR } from './helpers/fixtures.js';

const schemes = join(FIXTURES_DIR, 'schemes');

describe('readSafetensorsBytes', () => {
  it('reads F32 and widens F16 / BF16 to the same values within their precision', () => {
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
    expect(() => readSafetensors(bytes)).toThrow(/header claims 1000 bytes but the file has 8/);
  });

  it('refuses data_offsets that disagree with the shape', () => {
    const header = new TextEncoder().encode(JSON.stringify({ w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } }));
    const bytes = new Uint8Array(8 + header.length + 12);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    expect(() => readSafetensors(bytes)).toThrow(/needs 16 bytes but data_offsets span 12/);
  });

  const file = (header: object, data: Uint8Array) => {
    const json = new TextEncoder().encode(JSON.stringify(header));
    const bytes = new Uint8Array(8 + json.length + data.length);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
    bytes.set(json, 8);
    bytes.set(data, 8 + json.length);
    return bytes;
  };

  it('refuses data bytes that belong to no tensor', () => {
    const bytes = file({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8));
    expect(() => readSafetensors(bytes)).toThrow(/has a hole: bytes \[0, 4\)/);
  });

  it('refuses a dtype named after an Object.prototype member by the dtype, not a byte count', () => {
    const bytes = file({ w: { dtype: 'constructor', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4));
    expect(() => readSafetensors(bytes)).toThrow(/dtype "constructor": expected one of F32/);
  });

  it('narrows int64 to int32 and refuses a value that does not fit', () => {
    const ok = new BigInt64Array([5n, -7n]);
    const t = readSafetensors(file({ i: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, new Uint8Array(ok.buffer))).tensors.get('i')!;
    expect(t.dtype).toBe('int32');
    expect(Array.from(t.data as Int32Array)).toEqual([5, -7]);
    const big = new BigInt64Array([1n << 40n]);
    expect(() => readSafetensors(file({ i: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(big.buffer)))).toThrow(/does not fit int32/);
  });
});
