import { describe, expect, it } from 'vitest';
import { SeededRandom, type TensorData } from '@swin/core';
import { rowBlock, scaleRows } from '../src/emit/weight-transforms.js';

/** Index of the first entry where a and b differ (Object.is), or -1 when they are equal. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  return a.findIndex((v, i) => !Object.is(v, b[i]));
}

/** A Swin-T last-stage qkv weight, [3C, C] with C = 768: the largest one scaleRows copies. */
function qkvWeight(): TensorData<'float32'> {
  return { dtype: 'float32', shape: [3 * 768, 768], data: Float32Array.from(new SeededRandom(3).normalArray(3 * 768 * 768)) };
}

const scale = 1 / Math.sqrt(32);

describe('export-time weight scaling', () => {
  it('scaleRows scales the first rows (float32-rounded products), copies the rest and leaves the weight alone', () => {
    const w = qkvWeight();
    const original = w.data.slice();
    const out = scaleRows(w, 768, scale);
    const q = 768 * 768;
    expect(out.shape).toEqual([2304, 768]);
    expect(out.data).not.toBe(w.data);
    for (const i of [0, 1, q - 1]) expect(out.data[i]).toBe(Math.fround((original[i] ?? NaN) * scale));
    for (const i of [q, q + 1, 3 * q - 1]) expect(out.data[i]).toBe(original[i]);
    expect(firstDifference(out.data.subarray(0, q), original.subarray(0, q).map((v) => v * scale))).toBe(-1);
    expect(firstDifference(out.data.subarray(q), original.subarray(q))).toBe(-1);
    expect(firstDifference(w.data, original)).toBe(-1);
  });

  it('rowBlock is a view without a scale and a scaled copy with one', () => {
    const w = qkvWeight();
    const v = rowBlock(w, 768, 1536);
    expect(v.shape).toEqual([768, 768]);
    expect(v.data.buffer).toBe(w.data.buffer);
    const s = rowBlock(w, 0, 768, scale);
    expect(s.data.buffer).not.toBe(w.data.buffer);
    expect(firstDifference(s.data, w.data.subarray(0, 768 * 768).map((x) => x * scale))).toBe(-1);
  });

  it('scaling a weight does not box its values on the JS heap', () => {
    // Float32Array.from(src, mapFn) did: ~66 MB of heap for this 6.75 MB weight, which summed over
    // every block had added 100-300 MB to the peak memory of creating a session. A copy lives
    // outside the heap (array buffers); a garbage collection during the call only lowers heapUsed.
    const w = qkvWeight();
    const before = process.memoryUsage().heapUsed;
    scaleRows(w, 768, scale);
    rowBlock(w, 0, 2304, scale);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * 2 ** 20);
  });
});
