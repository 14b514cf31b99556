// reduceMean / reduceSum: one thread per output element walking the reduced axes (merged where
// contiguous: Swin's mean over H,W of [B,H,W,C] is one strided axis), f32 accumulation.

import { ParamWriter } from './param-writer.js';
import { MAX_RANK, coalesceAxes, contiguousStrides, padToMaxRank, sizeOf } from './shape-math.js';
import { flatGrid, type DispatchSpec, type FloatType } from './kernel-types.js';
import { storage, wgslPrelude } from './wgsl-prelude.js';

const WG = 64;

/** Sum or mean of `x` over `axes` (normalized, distinct); output holds the kept axes in order. */
export function reduceDispatch(float: FloatType, x: string, out: string, shape: readonly number[], axes: ReadonlySet<number>, mean: boolean): DispatchSpec {
  const strides = contiguousStrides(shape);
  const keptDims = shape.filter((_, i) => !axes.has(i));
  const keptStrides = strides.filter((_, i) => !axes.has(i));
  const redDims = shape.filter((_, i) => axes.has(i));
  const redStrides = strides.filter((_, i) => axes.has(i));
  const kept = coalesceAxes(keptDims, [keptStrides]);
  const red = coalesceAxes(redDims, [redStrides]);
  const pk = padToMaxRank(kept.dims, kept.strides[0]!);
  const pr = padToMaxRank(red.dims, red.strides[0]!);
  const nOut = sizeOf(keptDims);
  const nRed = sizeOf(redDims);
  const p = new ParamWriter();
  p.u(nOut);
  p.u(nRed);
  p.f(mean ? 1 / nRed : 1);
  p.u(0);
  p.list(pk.dims, 8);
  p.list(pk.strides, 8);
  p.list(pr.dims, 8);
  p.list(pr.strides, 8);
  return {
    shader: {
      key: `reduce:${float}`,
      code: () => `${wgslPrelude(float, 36)}
${storage(1, 'X', 'F', 'read')}
${storage(2, 'O', 'F', 'read_write')}
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let gid = (wid.y * nwg.x + wid.x) * ${WG}u + lid;
  if (gid >= pu(0u)) { return; }
  var rem = gid; var base = 0u;
  for (var k = 0u; k < ${MAX_RANK}u; k++) {
    let a = ${MAX_RANK - 1}u - k;
    let d = pu(4u + a); base += (rem % d) * pu(12u + a); rem = rem / d;
  }
  var s = 0.0;
  for (var r = 0u; r < pu(1u); r++) {
    var rr = r; var off = base;
    for (var k = 0u; k < ${MAX_RANK}u; k++) {
      let a = ${MAX_RANK - 1}u - k;
      let d = pu(20u + a); off += (rr % d) * pu(28u + a); rr = rr / d;
    }
    s += f32(X[off]);
  }
  O[gid] = F(s * pf(2u));
}`,
    },
    buffers: [x, out],
    params: p.finish(36),
    workgroups: flatGrid(Math.ceil(nOut / WG)),
  };
}
