// Standalone windowPartition / windowReverse and PatchMerging: gathers whose source index is
// computed from the destination index, so the cyclic shift, the partition and the 2x2 phase
// concat cost one read and one write per element. (Inside attention blocks the partition and
// reverse are folded into the matmuls instead; these serve graphs where they stand alone.)

import { flatKernelDispatch } from './flat-kernel.js';
import type { DispatchSpec, FloatType } from './kernel-types.js';
import { uniformLayout } from './uniform-layout.js';
import { WINDOW_MAP_UNIFORM, wgslWindowRow, windowMapValues, type WindowMap } from './window-map.js';

const WG = 256;

/** Elements, channels per token, and the window map of both window kernels. */
const WINDOW_UNIFORMS = uniformLayout({ n: 'u32', c: 'u32', map: WINDOW_MAP_UNIFORM });

/** A window kernel over `tokens` tokens of `c` channels reading X and writing O. */
function windowKernel(key: string, float: FloatType, x: string, out: string, tokens: number, c: number, map: WindowMap, body: string, helpers = ''): DispatchSpec {
  return flatKernelDispatch({
    key,
    float,
    uniforms: WINDOW_UNIFORMS,
    params: WINDOW_UNIFORMS.pack({ n: tokens * c, c, map: windowMapValues(map) }),
    count: tokens * c,
    inputs: [{ name: 'X', elem: 'F', value: x }],
    output: { name: 'O', elem: 'F', value: out },
    workgroupSize: WG,
    helpers,
    body,
  });
}

/** [B,H,W,C] -> [B*nW, wh*ww, C] with the roll by -shift folded into the row map. */
export function windowPartitionDispatch(float: FloatType, x: string, out: string, rows: number, c: number, map: WindowMap): DispatchSpec {
  const body = `  let c = P.c;
  let r = srcRow(gid / c);
  O[gid] = select(F(0), X[u32(max(r, 0)) * c + gid % c], r >= 0);`;
  return windowKernel(`window_partition:${float}`, float, x, out, rows, c, map, body, wgslWindowRow('srcRow', 'map'));
}

/**
 * [B*nW, wh*ww, C] -> [B,H,W,C], then roll by +shift: each output token finds its window row by
 * undoing the roll ((pos - shift) mod size) and the partition.
 */
export function windowReverseDispatch(float: FloatType, x: string, out: string, outTokens: number, c: number, map: WindowMap): DispatchSpec {
  const body = `  let c = P.c;
  let wh = P.map.window.x; let ww = P.map.window.y; let sh = P.map.shift.x; let sw = P.map.shift.y; let gh = P.map.grid.x; let gw = P.map.grid.y;
  let tok = gid / c;
  let x = tok % gw; let y = (tok / gw) % gh; let b = tok / (gw * gh);
  let ys = (y + gh - sh % gh) % gh; let xs = (x + gw - sw % gw) % gw;
  let nww = gw / ww;
  let win = b * (gh / wh) * nww + (ys / wh) * nww + xs / ww;
  let r = win * wh * ww + (ys % wh) * ww + xs % ww;
  O[gid] = X[r * c + gid % c];`;
  return windowKernel(`window_reverse:${float}`, float, x, out, outTokens, c, map, body);
}

const MERGE_UNIFORMS = uniformLayout({ n: 'u32', H: 'u32', W: 'u32', C: 'u32', HO: 'u32', WO: 'u32' });

/**
 * PatchMerging: [B,H,W,C] -> [B,ceil(H/2),ceil(W/2),4C]; channel block q takes phase
 * (dy, dx) = (q & 1, q >> 1), i.e. x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2];
 * odd edges read zeros (the bottom/right padding).
 */
export function patchMergingDispatch(float: FloatType, x: string, out: string, b: number, h: number, w: number, c: number): DispatchSpec {
  const HO = Math.ceil(h / 2);
  const WO = Math.ceil(w / 2);
  const n = b * HO * WO * 4 * c;
  return flatKernelDispatch({
    key: `patch_merging:${float}`,
    float,
    uniforms: MERGE_UNIFORMS,
    params: MERGE_UNIFORMS.pack({ n, H: h, W: w, C: c, HO, WO }),
    count: n,
    inputs: [{ name: 'X', elem: 'F', value: x }],
    output: { name: 'O', elem: 'F', value: out },
    workgroupSize: WG,
    body: `  let H = P.H; let W = P.W; let C = P.C; let HO = P.HO; let WO = P.WO;
  let ch = gid % (4u * C); let tok = gid / (4u * C);
  let ox = tok % WO; let oy = (tok / WO) % HO; let b = tok / (WO * HO);
  let q = ch / C; let c = ch % C;
  let y = 2u * oy + (q & 1u); let x = 2u * ox + (q >> 1u);
  let inside = y < H && x < W;
  O[gid] = select(F(0), X[((b * H + min(y, H - 1u)) * W + min(x, W - 1u)) * C + c], inside);`,
  });
}
