import { allocateFloat32 } from '../../memory/allocation-budget.js';
import { float32, type TensorData } from '../../tensor/tensor.js';

/** The official code's masking value: large enough to vanish in softmax, finite so rows never go NaN. */
export const SHIFT_MASK_VALUE = -100;

/**
 * Mask for shifted-window attention on an H x W map (already padded to window multiples):
 * tokens from different regions of the rolled map get -100. Regions per axis are the slices
 * (0, -win), (-win, -shift), (-shift, end). Shape [nW, 1, N, N] so it broadcasts over heads.
 */
export function shiftWindowMask(h: number, w: number, win: [number, number], shift: [number, number]): TensorData<'float32'> {
  const [wh, ww] = win;
  // An axis without shift has a single region (torchvision's slices collapse the same way).
  const region = (pos: number, size: number, wsz: number, s: number) => (s === 0 || pos < size - wsz ? 0 : pos < size - s ? 1 : 2);
  const nWh = h / wh;
  const nWw = w / ww;
  const n = wh * ww;
  const out = allocateFloat32(nWh * nWw * n * n, `shift mask [${nWh * nWw},1,${n},${n}] for a ${h}x${w} map`);
  const ids = new Int32Array(n);
  for (let wy = 0; wy < nWh; wy++) {
    for (let wx = 0; wx < nWw; wx++) {
      for (let t = 0; t < n; t++) {
        const y = wy * wh + Math.floor(t / ww);
        const x = wx * ww + (t % ww);
        ids[t] = region(y, h, wh, shift[0]) * 3 + region(x, w, ww, shift[1]);
      }
      const base = (wy * nWw + wx) * n * n;
      for (let q = 0; q < n; q++) for (let k = 0; k < n; k++) out[base + q * n + k] = ids[q] === ids[k] ? 0 : SHIFT_MASK_VALUE;
    }
  }
  return float32([nWh * nWw, 1, n, n], out);
}
