import type { ParamWriter } from './param-writer.js';

/**
 * Where the token at window-ordered row r sits in a [B, H, W] map: windowPartition with its
 * cyclic shift (and torchvision's bottom/right zero padding) written as index math, so neither
 * the roll nor the partition is ever materialized. The grid is the padded Hp x Wp map cut into
 * wh x ww windows; rows that land at y >= H or x >= W are padding (read as zero, never written).
 */
export interface WindowMap {
  readonly window: readonly [number, number];
  readonly shift: readonly [number, number];
  /** Padded grid the windows tile. */
  readonly gridHeight: number;
  readonly gridWidth: number;
  /** Valid region of the [B, height, width] tensor actually read or written. */
  readonly height: number;
  readonly width: number;
}

/** Number of parameter words a window map takes. */
export const WINDOW_MAP_WORDS = 8;

/** Appends a map's parameters (an identity placeholder when absent). */
export function writeWindowMap(p: ParamWriter, map: WindowMap | undefined): void {
  if (!map) {
    p.list([1, 1, 0, 0, 1, 1, 1, 1], WINDOW_MAP_WORDS);
    return;
  }
  p.list([map.window[0], map.window[1], map.shift[0], map.shift[1], map.gridHeight, map.gridWidth, map.height, map.width], WINDOW_MAP_WORDS);
}

/**
 * WGSL: `fn <name>(r: u32) -> i32` mapping a window-ordered row to a row of the [B, H, W] map
 * (or -1 for padding), with the map's parameters at word `base`. Rolling by -shift before the
 * partition and by +shift after the reverse are the same position formula: (pos + shift) mod size.
 */
export function wgslWindowRow(name: string, base: number): string {
  return `fn ${name}(r: u32) -> i32 {
  let wh = pu(${base}u); let ww = pu(${base + 1}u);
  let gh = pu(${base + 4}u); let gw = pu(${base + 5}u);
  let h = pu(${base + 6}u); let w = pu(${base + 7}u);
  let n = wh * ww; let t = r % n; let win = r / n;
  let nww = gw / ww; let nw = (gh / wh) * nww;
  let b = win / nw; let wi = win % nw;
  let y = ((wi / nww) * wh + t / ww + pu(${base + 2}u)) % gh;
  let x = ((wi % nww) * ww + t % ww + pu(${base + 3}u)) % gw;
  if (y >= h || x >= w) { return -1; }
  return i32((b * h + y) * w + x);
}`;
}
