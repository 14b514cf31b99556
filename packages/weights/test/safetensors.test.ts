import { describe, expect, it } from 'vitest';
import { float32ToBfloat16Bits, float32ToFloat16Bits, SeededRandom, SwinError, tensor, type TensorData } from '@swin/core';
import { float16ToFloat32Array, float32ToBfloat16Array, float32ToFloat16Array, parseOutputDType, readCheckpoint, writeSafetensors } from '../src/index.js';
import { rawSafetensors } from './helpers/craft.js';

describe('safetensors writer', () => {
  it('round-trips tensors and metadata, with the data 8-byte aligned', () => {
    const tensors = new Map<string, TensorData>([
      ['a', tensor('float32', [2, 3], Float32Array.from([1, 2, 3, 4, 5, 6]))],
      ['empty', tensor('float32', [0, 4], new Float32Array(0))],
      ['index', tensor('int64', [3], BigInt64Array.from([1n, -2n, 3n]))],
      ['half', tensor('float16', [2], Uint16Array.from([0x3c00, 0xc000]))],
    ]);
    const bytes = writeSafetensors(tensors, { family: 'swin_v1', note: 'x' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
    expect(Object.keys(header)[0]).toBe('__metadata__');
    expect(header.index).toEqual({ dtype: 'I64', shape: [3], data_offsets: [24, 48] });
    const back = readCheckpoint(bytes);
    expect(back.format).toBe('safetensors');
    expect(back.metadata).toEqual({ family: 'swin_v1', note: 'x' });
    expect(back.tensors.get('a')!.data).toEqual(tensors.get('a')!.data);
    expect(back.tensors.get('empty')!.shape).toEqual([0, 4]);
    expect(back.tensors.get('index')!.data).toEqual(tensors.get('index')!.data);
    // float16 in, float32 out (the default): widened exactly.
    expect([...back.tensors.get('half')!.data]).toEqual([1, -2]);
  });

  it('converts to float16 and bfloat16 exactly as core (and torch) round', () => {
    const rng = new SeededRandom(11);
    const special = [0, -0, 1, -1, 65504, 65519.99, 65520, 1e-8, 5.96e-8, 2.98e-8, 6.1e-5, 1 / 3, Infinity, -Infinity, NaN, 3.4e38, 1.17e-38, 1e-45];
    const values = Float32Array.from([...special, ...Array.from({ length: 100_000 }, () => rng.normal() * 2 ** (rng.uniform() * 60 - 30))]);
    const half = float32ToFloat16Array(values);
    const bf = float32ToBfloat16Array(values);
    for (let i = 0; i < values.length; i++) {
      expect(half[i], `f16 of ${values[i]}`).toBe(float32ToFloat16Bits(values[i]!));
      expect(bf[i], `bf16 of ${values[i]}`).toBe(float32ToBfloat16Bits(values[i]!));
    }
    const widened = float16ToFloat32Array(half);
    expect(float32ToFloat16Array(widened)).toEqual(half);
  });

  it('parses output dtypes as users type them', () => {
    expect(parseOutputDType('f16')).toBe('float16');
    expect(parseOutputDType('BF16')).toBe('bfloat16');
    expect(parseOutputDType('float32')).toBe('float32');
    expect(() => parseOutputDType('int8')).toThrow(SwinError);
  });
});

describe('safetensors reader validation', () => {
  it('refuses holes between tensors', () => {
    const bytes = rawSafetensors({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, new Uint8Array(12));
    expect(() => readCheckpoint(bytes)).toThrow(/hole: bytes \[4, 8\)/);
  });
  it('refuses trailing bytes', () => {
    const bytes = rawSafetensors({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(8));
    expect(() => readCheckpoint(bytes)).toThrow(/data is 8 bytes but the tensors cover 4/);
  });
  it('refuses unknown dtypes and non-string metadata', () => {
    expect(() => readCheckpoint(rawSafetensors({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)))).toThrow(/dtype "F8_E4M3"/);
    expect(() => readCheckpoint(rawSafetensors({ __metadata__: { n: 1 } }, new Uint8Array(0)))).toThrow(/__metadata__.n: expected a string/);
  });
  it('reads bfloat16 widened to float32', () => {
    const bytes = rawSafetensors({ a: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, Uint8Array.from([0x80, 0x3f, 0x00, 0xc0]));
    expect([...readCheckpoint(bytes).tensors.get('a')!.data]).toEqual([1, -2]);
  });
});
