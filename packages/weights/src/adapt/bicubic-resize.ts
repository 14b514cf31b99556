// Bicubic resampling with PyTorch's semantics for F.interpolate(mode='bicubic', align_corners=False),
// which is what the official Swin fine-tuning loader uses to resize position tables: the
// convolution kernel with A = -0.75, source coordinate (dst + 0.5) * in/out - 0.5 (not clamped), and
// taps outside the image clamped to the border.

const A = -0.75;

function nearTap(x: number): number {
  return ((A + 2) * x - (A + 3)) * x * x + 1;
}

function farTap(x: number): number {
  return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
}

/** For each output index: the four source indices (border-clamped) and their weights. */
function taps(inSize: number, outSize: number): { index: Int32Array; weight: Float64Array } {
  const index = new Int32Array(outSize * 4);
  const weight = new Float64Array(outSize * 4);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const real = (o + 0.5) * scale - 0.5;
    const base = Math.floor(real);
    const t = real - base;
    const w = [farTap(t + 1), nearTap(t), nearTap(1 - t), farTap(2 - t)];
    w.forEach((wk, k) => {
      index[o * 4 + k] = Math.min(Math.max(base - 1 + k, 0), inSize - 1);
      weight[o * 4 + k] = wk;
    });
  }
  return { index, weight };
}

/**
 * Resizes `channels` planes of inH x inW (channel-major, row-major planes) to outH x outW. Rows are
 * resampled first, then columns; the kernel is separable so this equals PyTorch's 4x4 sum up to
 * rounding (computed here in float64).
 */
export function bicubicResize(src: ArrayLike<number>, channels: number, inH: number, inW: number, outH: number, outW: number): Float32Array {
  const ty = taps(inH, outH);
  const tx = taps(inW, outW);
  const out = new Float32Array(channels * outH * outW);
  const rows = new Float64Array(outH * inW);
  // Taps hold 4 entries per output index, and their source indices are clamped to the input's
  // size: every read below is inside ty, tx, src (channels planes of inH x inW) or rows.
  for (let c = 0; c < channels; c++) {
    const plane = c * inH * inW;
    for (let oy = 0; oy < outH; oy++) {
      for (let x = 0; x < inW; x++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += ty.weight[oy * 4 + k]! * src[plane + ty.index[oy * 4 + k]! * inW + x]!;
        rows[oy * inW + x] = s;
      }
    }
    const outPlane = c * outH * outW;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += tx.weight[ox * 4 + k]! * rows[oy * inW + tx.index[ox * 4 + k]!]!;
        out[outPlane + oy * outW + ox] = s;
      }
    }
  }
  return out;
}
