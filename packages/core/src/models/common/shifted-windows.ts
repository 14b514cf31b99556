import type { GraphBuilder, Value } from '../../graph/graph-builder.js';
import { relativePositionIndex } from './relative-position-index.js';
import { shiftWindowMask } from './shift-window-mask.js';
import type { BlockGeometry } from './stage-geometry.js';

/**
 * Swin's (shifted) window attention frame on NHWC tokens t: pad bottom/right to window multiples,
 * partition into (shifted) windows, `attend` on the windows, reverse and crop back to H x W.
 */
export function attendInWindows(b: GraphBuilder, t: Value, geo: BlockGeometry, attend: (windows: Value) => Value): Value {
  const { window: M, shifts, height: H, width: W, paddedHeight: Hp, paddedWidth: Wp } = geo;
  const s: [number, number] = [shifts[0], shifts[1]];
  const padded = Hp !== H || Wp !== W;
  const windows = b.op('windowPartition', [padded ? b.pad(t, [0, 0, 0, 0, 0, Hp - H, Wp - W, 0]) : t], { window: [M, M], shift: s });
  const y = b.op('windowReverse', [attend(windows)], { window: [M, M], shift: s, height: Hp, width: Wp });
  return padded ? b.slice(y, { starts: [0, 0], ends: [H, W], axes: [1, 2] }, 'crop') : y;
}

/**
 * A window's attention bias [1|nW, nH, N, N] from a per-offset table [(2T-1)^2, nH]: rows gathered by
 * relative position (`tableWindow` T, default the window itself), plus the shift mask on shifted
 * blocks. All ops over constants, so constant folding evaluates them once.
 */
export function relativeWindowBias(b: GraphBuilder, table: Value, geo: BlockGeometry, heads: number, tableWindow?: [number, number]): Value {
  const M = geo.window;
  const N = M * M;
  const index = b.literal('relative_position_index', relativePositionIndex(M, M, tableWindow));
  const gathered = b.gather(table, index, 0); // [N*N, nH]
  const bias = b.reshape(b.transpose(b.reshape(gathered, [N, N, heads]), [2, 0, 1]), [1, heads, N, N]);
  if (geo.shift === 0) return bias;
  const mask = b.literal('shift_mask', shiftWindowMask(geo.paddedHeight, geo.paddedWidth, [M, M], [geo.shifts[0], geo.shifts[1]]));
  return b.add(bias, mask, 'bias_and_mask'); // [nW, nH, N, N]
}
