// reduceMean / reduceSum: one thread per output element walking the reduced axes (merged where
// contiguous: Swin's mean over H,W of [B,H,W,C] is one strided axis), f32 accumulation.

import { shapeSize, stridesOf } from '@swin/core';
import { flatKernelDispatch } from './flat-kernel.js';
import { MAX_RANK, RANK_LIST, coalesceAxes, padToMaxRank } from './shape-math.js';
import type { DispatchSpec, FloatType } from './kernel-types.js';
import { uniformLayout } from './uniform-layout.js';

const WG = 64;

const UNIFORMS = uniformLayout({
  n: 'u32',
  reduced: 'u32',
  /** 1 / reduced for a mean, 1 for a sum. */
  scale: 'f32',
  keptDims: RANK_LIST,
  keptStrides: RANK_LIST,
  reducedDims: RANK_LIST,
  reducedStrides: RANK_LIST,
});

/** Sum or mean of `x` over `axes` (normalized, distinct); output holds the kept axes in order. */
export function reduceDispatch(float: FloatType, x: string, out: string, shape: readonly number[], axes: ReadonlySet<number>, mean: boolean): DispatchSpec {
  const strides = stridesOf(shape);
  const keptDims = shape.filter((_, i) => !axes.has(i));
  const redDims = shape.filter((_, i) => axes.has(i));
  const kept = coalesceAxes(keptDims, [strides.filter((_, i) => !axes.has(i))]);
  const red = coalesceAxes(redDims, [strides.filter((_, i) => axes.has(i))]);
  const pk = padToMaxRank(kept.dims, kept.strides[0]);
  const pr = padToMaxRank(red.dims, red.strides[0]);
  const n = shapeSize(keptDims);
  const reduced = shapeSize(redDims);
  return flatKernelDispatch({
    key: `reduce:${float}`,
    float,
    uniforms: UNIFORMS,
    params: UNIFORMS.pack({ n, reduced, scale: mean ? 1 / reduced : 1, keptDims: pk.dims, keptStrides: pk.strides, reducedDims: pr.dims, reducedStrides: pr.strides }),
    count: n,
    inputs: [{ name: 'X', elem: 'F', value: x }],
    output: { name: 'O', elem: 'F', value: out },
    workgroupSize: WG,
    body: `  var rem = gid; var base = 0u;
  for (var k = 0u; k < ${MAX_RANK}u; k++) {
    let a = ${MAX_RANK - 1}u - k;
    let d = keptDimsAt(a); base += (rem % d) * keptStridesAt(a); rem = rem / d;
  }
  var s = 0.0;
  for (var r = 0u; r < P.reduced; r++) {
    var rr = r; var off = base;
    for (var k = 0u; k < ${MAX_RANK}u; k++) {
      let a = ${MAX_RANK - 1}u - k;
      let d = reducedDimsAt(a); off += (rr % d) * reducedStridesAt(a); rr = rr / d;
    }
    s += f32(X[off]);
  }
  O[gid] = F(s * P.scale);`,
  });
}
