import { dimsOf } from '../../tensor/shape-dims.js';
import type { TensorData } from '../../tensor/tensor.js';
import type { OpAttrs } from '../op-set.js';
import { asFloat32 } from './as-float32.js';

/** Direct 2-D convolution, NCHW / OIHW, float64 accumulation. */
export function conv2dKernel(x: TensorData, w: TensorData, bias: TensorData | undefined, attrs: OpAttrs['conv2d']): TensorData<'float32'> {
  const xd = asFloat32(x);
  const wd = asFloat32(w);
  const bd = bias ? asFloat32(bias) : undefined;
  const [n, c, h, wid] = dimsOf(x.shape, 4, 'conv2d input');
  const [o, ci, kh, kw] = dimsOf(w.shape, 4, 'conv2d weight');
  const groups = attrs.groups ?? 1;
  const [sh, sw] = attrs.strides;
  const [pt, pl, pb, pr] = attrs.pads;
  const oh = Math.floor((h + pt + pb - kh) / sh) + 1;
  const ow = Math.floor((wid + pl + pr - kw) / sw) + 1;
  const out = new Float32Array(n * o * oh * ow);
  const perGroup = o / groups;
  // In range: oc < o = bias length; iy < h and ix < wid are checked, so x is read inside its
  // [n, c, h, wid]; icg < ci, ky < kh, kx < kw inside the weight's [o, ci, kh, kw].
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < o; oc++) {
      const g = Math.floor(oc / perGroup);
      for (let y = 0; y < oh; y++) {
        for (let xx = 0; xx < ow; xx++) {
          let s = bd ? bd[oc]! : 0;
          for (let icg = 0; icg < ci; icg++) {
            const ic = g * ci + icg;
            for (let ky = 0; ky < kh; ky++) {
              const iy = y * sh - pt + ky;
              if (iy < 0 || iy >= h) continue;
              const xrow = ((b * c + ic) * h + iy) * wid;
              const wrow = ((oc * ci + icg) * kh + ky) * kw;
              for (let kx = 0; kx < kw; kx++) {
                const ix = xx * sw - pl + kx;
                if (ix < 0 || ix >= wid) continue;
                s += xd[xrow + ix]! * wd[wrow + kx]!;
              }
            }
          }
          out[((b * o + oc) * oh + y) * ow + xx] = s;
        }
      }
    }
  }
  return { dtype: 'float32', shape: [n, o, oh, ow], data: out };
}
