// Standalone windowPartition / windowReverse and PatchMerging: gathers whose source index is
// computed from the destination index, so the cyclic shift, the partition and the 2x2 phase
// concat cost one read and one write per element. (Inside attention blocks the partition and
// reverse are folded into the matmuls instead; these serve graphs where they stand alone.)

import { ParamWriter } from './param-writer.js';
import { flatGrid, type DispatchSpec, type FloatType } from './kernel-types.js';
import { storage, wgslPrelude } from './wgsl-prelude.js';
import { WINDOW_MAP_WORDS, wgslWindowRow, writeWindowMap, type WindowMap } from './window-map.js';

const WG = 256;
const ENTRY = `@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let gid = (wid.y * nwg.x + wid.x) * ${WG}u + lid;
  if (gid >= pu(0u)) { return; }`;

/** [B,H,W,C] -> [B*nW, wh*ww, C] with the roll by -shift folded into the row map. */
export function windowPartitionDispatch(float: FloatType, x: string, out: string, rows: number, c: number, map: WindowMap): DispatchSpec {
  const p = new ParamWriter();
  p.list([rows * c, c], 4);
  writeWindowMap(p, map);
  return {
    shader: {
      key: `window_partition:${float}`,
      code: () => `${wgslPrelude(float, 4 + WINDOW_MAP_WORDS)}
${storage(1, 'X', 'F', 'read')}
${storage(2, 'O', 'F', 'read_write')}
${wgslWindowRow('srcRow', 4)}
${ENTRY}
  let c = pu(1u);
  let r = srcRow(gid / c);
  O[gid] = select(F(0), X[u32(max(r, 0)) * c + gid % c], r >= 0);
}`,
    },
    buffers: [x, out],
    params: p.finish(4 + WINDOW_MAP_WORDS),
    workgroups: flatGrid(Math.ceil((rows * c) / WG)),
  };
}

/**
 * [B*nW, wh*ww, C] -> [B,H,W,C], then roll by +shift: each output token finds its window row by
 * undoing the roll ((pos - shift) mod size) and the partition.
 */
export function windowReverseDispatch(float: FloatType, x: string, out: string, outTokens: number, c: number, map: WindowMap): DispatchSpec {
  const p = new ParamWriter();
  p.list([outTokens * c, c], 4);
  writeWindowMap(p, map);
  return {
    shader: {
      key: `window_reverse:${float}`,
      code: () => `${wgslPrelude(float, 4 + WINDOW_MAP_WORDS)}
${storage(1, 'X', 'F', 'read')}
${storage(2, 'O', 'F', 'read_write')}
${ENTRY}
  let c = pu(1u);
  let wh = pu(4u); let ww = pu(5u); let sh = pu(6u); let sw = pu(7u); let gh = pu(8u); let gw = pu(9u);
  let tok = gid / c;
  let x = tok % gw; let y = (tok / gw) % gh; let b = tok / (gw * gh);
  let ys = (y + gh - sh % gh) % gh; let xs = (x + gw - sw % gw) % gw;
  let nww = gw / ww;
  let win = b * (gh / wh) * nww + (ys / wh) * nww + xs / ww;
  let r = win * wh * ww + (ys % wh) * ww + xs % ww;
  O[gid] = X[r * c + gid % c];
}`,
    },
    buffers: [x, out],
    params: p.finish(4 + WINDOW_MAP_WORDS),
    workgroups: flatGrid(Math.ceil((outTokens * c) / WG)),
  };
}

/**
 * PatchMerging: [B,H,W,C] -> [B,ceil(H/2),ceil(W/2),4C]; channel block q takes phase
 * (dy, dx) = (q & 1, q >> 1), i.e. x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2];
 * odd edges read zeros (the bottom/right padding).
 */
export function patchMergingDispatch(float: FloatType, x: string, out: string, b: number, h: number, w: number, c: number): DispatchSpec {
  const ho = Math.ceil(h / 2);
  const wo = Math.ceil(w / 2);
  const total = b * ho * wo * 4 * c;
  const p = new ParamWriter();
  p.list([total, h, w, c, ho, wo], 8);
  return {
    shader: {
      key: `patch_merging:${float}`,
      code: () => `${wgslPrelude(float, 8)}
${storage(1, 'X', 'F', 'read')}
${storage(2, 'O', 'F', 'read_write')}
${ENTRY}
  let H = pu(1u); let W = pu(2u); let C = pu(3u); let HO = pu(4u); let WO = pu(5u);
  let ch = gid % (4u * C); let tok = gid / (4u * C);
  let ox = tok % WO; let oy = (tok / WO) % HO; let b = tok / (WO * HO);
  let q = ch / C; let c = ch % C;
  let y = 2u * oy + (q & 1u); let x = 2u * ox + (q >> 1u);
  let inside = y < H && x < W;
  O[gid] = select(F(0), X[((b * H + min(y, H - 1u)) * W + min(x, W - 1u)) * C + c], inside);
}`,
    },
    buffers: [x, out],
    params: p.finish(8),
    workgroups: flatGrid(Math.ceil(total / WG)),
  };
}
