// Direct 2-D convolution (NCHW input, OIHW weight, groups): one thread per output element.
// Swin's patch embed is a stride-p p x p conv followed by NCHW -> NHWC; the kernel can write
// NHWC directly so that transpose never runs.

import { flatKernelDispatch, type KernelBuffer } from './flat-kernel.js';
import type { DispatchSpec, FloatType } from './kernel-types.js';
import { uniformLayout } from './uniform-layout.js';

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

const UNIFORMS = uniformLayout({
  n: 'u32',
  C: 'u32',
  H: 'u32',
  W: 'u32',
  OC: 'u32',
  /** Input and output channels per group. */
  CG: 'u32',
  OG: 'u32',
  KH: 'u32',
  KW: 'u32',
  SH: 'u32',
  SW: 'u32',
  /** Top and left padding. */
  PT: 'u32',
  PL: 'u32',
  OH: 'u32',
  OW: 'u32',
});

/** conv2d(x, w, bias?) written NCHW, or NHWC when `nhwc` (the fused transpose). */
export function conv2dDispatch(float: FloatType, x: string, w: string, bias: string | undefined, out: string, g: Conv2dGeometry, nhwc: boolean): DispatchSpec {
  const n = g.n * g.o * g.oh * g.ow;
  const inputs: KernelBuffer[] = [
    { name: 'X', elem: 'F', value: x },
    { name: 'Wt', elem: 'F', value: w },
  ];
  if (bias) inputs.push({ name: 'Bias', elem: 'F', value: bias });
  const [SH, SW] = g.strides;
  const [PT, PL] = g.pads;
  return flatKernelDispatch({
    key: `conv2d:${float}:bias=${!!bias}:nhwc=${nhwc}`,
    float,
    uniforms: UNIFORMS,
    params: UNIFORMS.pack({ n, C: g.c, H: g.h, W: g.w, OC: g.o, CG: g.c / g.groups, OG: g.o / g.groups, KH: g.kh, KW: g.kw, SH, SW, PT, PL, OH: g.oh, OW: g.ow }),
    count: n,
    inputs,
    output: { name: 'O', elem: 'F', value: out },
    workgroupSize: WG,
    body: `  let C = P.C; let H = P.H; let W = P.W; let OC = P.OC; let CG = P.CG; let OG = P.OG;
  let KH = P.KH; let KW = P.KW; let SH = P.SH; let SW = P.SW; let PT = P.PT; let PL = P.PL;
  let OH = P.OH; let OW = P.OW;
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
  O[gid] = F(s);`,
  });
}
