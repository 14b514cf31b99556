import { describe, expect, it } from 'vitest';
import { ShapeError, dimAt, dimsOf } from '../src/index.js';

describe('dimAt / dimsOf', () => {
  it('reads an axis from the front or, negative, from the end', () => {
    expect(dimAt([2, 3, 5], 0, 'x')).toBe(2);
    expect(dimAt([2, 3, 5], -1, 'x')).toBe(5);
    expect(dimAt([2, 3, 5], -3, 'x')).toBe(2);
  });

  it('refuses an axis the shape does not have, naming what was read', () => {
    expect(() => dimAt([2, 3], 2, 'linear weight')).toThrow(ShapeError);
    expect(() => dimAt([2, 3], -3, 'linear weight')).toThrow('linear weight: shape [2,3] has no axis -3');
    expect(() => dimAt([], -1, 'x')).toThrow(/no axis -1/);
  });

  it('gives the dims of a shape of the expected rank, and refuses any other rank', () => {
    const [b, h, w, c] = dimsOf([1, 7, 9, 3], 4, 'x');
    expect([b, h, w, c]).toEqual([1, 7, 9, 3]);
    expect(() => dimsOf([1, 7, 9], 4, 'patchMerging input')).toThrow('patchMerging input: expected rank 4, found shape [1,7,9]');
  });
});
