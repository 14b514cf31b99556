import type { UniformStruct, UniformValues } from './uniform-layout.js';

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

/** The uniform struct a kernel declares a window map with (one field per map it uses). */
export const WINDOW_MAP_UNIFORM = {
  struct: 'WindowMap',
  fields: { window: 'vec2<u32>', shift: 'vec2<u32>', grid: 'vec2<u32>', size: 'vec2<u32>' },
} as const satisfies UniformStruct;

/** A map's uniform values (an identity placeholder when absent, never read then). */
export function windowMapValues(map: WindowMap | undefined): UniformValues<typeof WINDOW_MAP_UNIFORM.fields> {
  if (!map) return { window: [1, 1], shift: [0, 0], grid: [1, 1], size: [1, 1] };
  return { window: map.window, shift: map.shift, grid: [map.gridHeight, map.gridWidth], size: [map.height, map.width] };
}

/**
 * WGSL: `fn <name>(r: u32) -> i32` mapping a window-ordered row to a row of the [B, H, W] map
 * (or -1 for padding), reading the map from uniform field `P.<field>`. Rolling by -shift before
 * the partition and by +shift after the reverse are the same position formula: (pos + shift) mod size.
 */
export function wgslWindowRow(name: string, field: string): string {
  return `fn ${name}(r: u32) -> i32 {
  let m = P.${field};
  let wh = m.window.x; let ww = m.window.y;
  let gh = m.grid.x; let gw = m.grid.y;
  let h = m.size.x; let w = m.size.y;
  let n = wh * ww; let t = r % n; let win = r / n;
  let nww = gw / ww; let nw = (gh / wh) * nww;
  let b = win / nw; let wi = win % nw;
  let y = ((wi / nww) * wh + t / ww + m.shift.x) % gh;
  let x = ((wi % nww) * ww + t % ww + m.shift.y) % gw;
  if (y >= h || x >= w) { return -1; }
  return i32((b * h + y) * w + x);
}`;
}
