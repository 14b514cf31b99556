// Direct 2-D convolution (NCHW input, OIHW weight, groups): one thread per output element.
// Swin's patch embed is a stride-p p x p conv followed by NCHW -> NHWC; the kernel can write
// NHWC directly so that transpose never runs.

import { ParamWriter } from './param-writer.js';
import { flatGrid, type DispatchSpec, type FloatType } from './kernel-types.js';
import { storage, wgslPrelude } from './wgsl-prelude.js';

const WG = 64;

/** Geometry of one conv2d. */
export interface Conv2dGeometry {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly o: number;
  readonly kh: number;
  readonly kw: number;
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly groups: number;
  readonly oh: number;
  readonly ow: number;
}

/** conv2d(x, w, bias?) written NCHW, or NHWC when `nhwc` (the fused transpose). */
export function conv2dDispatch(float: FloatType, x: string, w: string, bias: string | undefined, out: string, g: Conv2dGeometry, nhwc: boolean): DispatchSpec {
  const p = new ParamWriter();
  const total = g.n * g.o * g.oh * g.ow;
  p.list([total, g.c, g.h, g.w, g.o, g.c / g.groups, g.o / g.groups, g.kh, g.kw, g.strides[0], g.strides[1], g.pads[0], g.pads[1], g.oh, g.ow], 16);
  let b = 1;
  const decl = [storage(b++, 'X', 'F', 'read'), storage(b++, 'Wt', 'F', 'read')];
  if (bias) decl.push(storage(b++, 'Bias', 'F', 'read'));
  decl.push(storage(b++, 'O', 'F', 'read_write'));
  return {
    shader: {
      key: `conv2d:${float}:bias=${!!bias}:nhwc=${nhwc}`,
      code: () => `${wgslPrelude(float, 16)}
${decl.join('\n')}
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let gid = (wid.y * nwg.x + wid.x) * ${WG}u + lid;
  if (gid >= pu(0u)) { return; }
  let C = pu(1u); let H = pu(2u); let W = pu(3u); let OC = pu(4u); let CG = pu(5u); let OG = pu(6u);
  let KH = pu(7u); let KW = pu(8u); let SH = pu(9u); let SW = pu(10u); let PT = pu(11u); let PL = pu(12u);
  let OH = pu(13u); let OW = pu(14u);
  ${
    nhwc
      ? 'let oc = gid % OC; let ox = (gid / OC) % OW; let oy = (gid / (OC * OW)) % OH; let n = gid / (OC * OW * OH);'
      : 'let ox = gid % OW; let oy = (gid / OW) % OH; let oc = (gid / (OW * OH)) % OC; let n = gid / (OW * OH * OC);'
  }
  let g = oc / OG;
  var s = ${bias ? 'f32(Bias[oc])' : '0.0'};
  for (var ci = 0u; ci < CG; ci++) {
    let ic = g * CG + ci;
    for (var ky = 0u; ky < KH; ky++) {
      let iy = i32(oy * SH + ky) - i32(PT);
      if (iy < 0 || iy >= i32(H)) { continue; }
      let xrow = ((n * C + ic) * H + u32(iy)) * W;
      let wrow = ((oc * CG + ci) * KH + ky) * KW;
      for (var kx = 0u; kx < KW; kx++) {
        let ix = i32(ox * SW + kx) - i32(PL);
        if (ix < 0 || ix >= i32(W)) { continue; }
        s += f32(X[xrow + u32(ix)]) * f32(Wt[wrow + kx]);
      }
    }
  }
  O[gid] = F(s);
}`,
    },
    buffers: [x, w, ...(bias ? [bias] : []), out],
    params: p.finish(16),
    workgroups: flatGrid(Math.ceil(total / WG)),
  };
}
