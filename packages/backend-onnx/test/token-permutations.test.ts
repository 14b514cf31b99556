import { describe, expect, it } from 'vitest';
import { GraphBuilder, evaluateGraph, tensor, type TensorData } from '@swin/core';
import { composeGathers, patchMergingIndices, windowPartitionIndices, windowReverseIndices } from '../src/emit/token-permutations.js';

/** Token ids 0..H*W-1 as a [1, H, W, 1] map: after a token move, each value names its source token. */
function tokenIds(h: number, w: number): TensorData {
  return tensor('float32', [1, h, w, 1], Float32Array.from({ length: h * w }, (_, i) => i));
}

/** Runs one composite through core's decomposition (the reference semantics) on the id map. */
function viaCore(build: (b: GraphBuilder, x: ReturnType<GraphBuilder['input']>) => ReturnType<GraphBuilder['input']>, input: TensorData): number[] {
  const b = new GraphBuilder(false);
  const x = b.input('x', 'float32', input.shape);
  b.output(build(b, x));
  const g = b.build();
  return [...(evaluateGraph(g, { x: input })[g.outputs[0]!.name]!.data as Float32Array)];
}

describe('token permutations', () => {
  const cases: [number, number, number, number, number, number][] = [
    [8, 8, 4, 4, 0, 0],
    [8, 8, 4, 4, 2, 2],
    [6, 12, 3, 3, 1, 1],
    [14, 14, 7, 7, 3, 3],
    [4, 8, 2, 4, 1, 2],
  ];
  it.each(cases)('window partition of %ix%i, window %ix%i, shift %i,%i matches core', (h, w, wh, ww, sh, sw) => {
    const expected = viaCore((b, x) => b.op('windowPartition', [x], { window: [wh, ww], shift: [sh, sw] }), tokenIds(h, w));
    expect([...windowPartitionIndices(h, w, wh, ww, sh, sw)]).toEqual(expected);
  });

  it.each(cases)('window reverse of %ix%i, window %ix%i, shift %i,%i matches core', (h, w, wh, ww, sh, sw) => {
    const n = wh * ww;
    const windows = tensor('float32', [(h * w) / n, n, 1], Float32Array.from({ length: h * w }, (_, i) => i));
    const expected = viaCore((b, x) => b.op('windowReverse', [x], { window: [wh, ww], shift: [sh, sw], height: h, width: w }), windows);
    expect([...windowReverseIndices(h, w, wh, ww, sh, sw)]).toEqual(expected);
  });

  it('reverse undoes partition', () => {
    const fwd = windowPartitionIndices(14, 14, 7, 7, 3, 3);
    const back = windowReverseIndices(14, 14, 7, 7, 3, 3);
    expect([...composeGathers(fwd, back)]).toEqual([...Array(196).keys()]);
  });

  it.each([
    [4, 4],
    [6, 10],
    [2, 2],
  ])('patch merging of %ix%i matches core (phases in the official order)', (h, w) => {
    const expected = viaCore((b, x) => b.op('patchMerging', [x], {}), tokenIds(h, w));
    expect([...patchMergingIndices(h, w)]).toEqual(expected);
  });
});
