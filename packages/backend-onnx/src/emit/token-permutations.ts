// Window partition, window reverse (both with the cyclic shift) and patch merging only move tokens.
// On a [B, H*W, C] token matrix each is one Gather along the token axis with a constant index
// vector, which replaces the roll (slice + concat per axis), 6-D reshape and transpose chain that
// torch.onnx emits: one pass over memory instead of three, and one node instead of seven.

/** Token read by window position p = (window * N + t), after rolling the map by (-shiftH, -shiftW). */
export function windowPartitionIndices(h: number, w: number, wh: number, ww: number, shiftH: number, shiftW: number): Int32Array {
  const nWw = w / ww;
  const n = wh * ww;
  const out = new Int32Array(h * w);
  for (let win = 0; win < (h / wh) * nWw; win++) {
    const wy = Math.floor(win / nWw);
    const wx = win % nWw;
    for (let t = 0; t < n; t++) {
      const y = (wy * wh + Math.floor(t / ww) + shiftH) % h;
      const x = (wx * ww + (t % ww) + shiftW) % w;
      out[win * n + t] = y * w + x;
    }
  }
  return out;
}

/** Window position read by map token (y * W + x): the inverse of the partition (so the shift rolls back). */
export function windowReverseIndices(h: number, w: number, wh: number, ww: number, shiftH: number, shiftW: number): Int32Array {
  const forward = windowPartitionIndices(h, w, wh, ww, shiftH, shiftW);
  const out = new Int32Array(h * w);
  forward.forEach((token, p) => (out[token] = p));
  return out;
}

/**
 * Token read by merged slot ((i * W/2 + j) * 4 + phase), phases in the official order
 * x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2]. H and W even (odd maps are padded first).
 */
export function patchMergingIndices(h: number, w: number): Int32Array {
  const phases = [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ] as const;
  const oh = h / 2;
  const ow = w / 2;
  const out = new Int32Array(oh * ow * 4);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      phases.forEach(([dy, dx], k) => {
        out[(i * ow + j) * 4 + k] = (2 * i + dy) * w + 2 * j + dx;
      });
    }
  }
  return out;
}

/** Composition: result[p] = first[second[p]] (apply `first` gather, then `second`). */
export function composeGathers(first: Int32Array, second: Int32Array): Int32Array {
  // second's entries are positions of first's output (its length), so first[q] exists.
  return Int32Array.from(second, (q) => first[q]!);
}

/**
 * Head split as a gather: on a [BW, N*parts*heads, hd] view of the projected tokens (token-major:
 * token t's row block holds `parts` projections, q k v, of `heads` rows each), slot h*N + t
 * (head-major, i.e. [BW, heads, N, hd]) of part `part` reads row (t*parts + part)*heads + h. A
 * Transpose would move the same hd-wide rows, but onnxruntime's Gather copies them on every
 * intra-op thread while its Transpose runs on one, and a gather takes one part without a Split.
 */
export function headSplitIndices(n: number, heads: number, parts = 1, part = 0): Int32Array {
  const out = new Int32Array(n * heads);
  for (let h = 0; h < heads; h++) for (let t = 0; t < n; t++) out[h * n + t] = (t * parts + part) * heads + h;
  return out;
}

/** Head merge: the inverse of the split, [BW, heads, N, hd] rows back to token-major [BW, N, heads*hd]. */
export function headMergeIndices(n: number, heads: number): Int32Array {
  const split = headSplitIndices(n, heads);
  const out = new Int32Array(split.length);
  split.forEach((row, p) => (out[row] = p));
  return out;
}
