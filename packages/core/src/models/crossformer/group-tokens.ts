import type { GraphBuilder, Value } from '../../graph/graph-builder.js';
import { dimAt } from '../../tensor/shape-dims.js';
import type { CrossFormerBlockGeometry } from './group-geometry.js';

/**
 * [B, Hp, Wp, C] -> [B * nG, G * G, C], the groups of one image consecutive, in the official order.
 * SDA is a window partition without shift (the windowPartition composite). LDA cuts the map into
 * (G I)-sized regions (a window partition, skipped when there is one region) and regroups each
 * region with a reshape and a transpose: [R, G, I, G, I, C] -> [R, I, I, G, G, C], so group (i, j)
 * of a region holds its tokens (i + I y, j + I x).
 */
export function groupTokens(b: GraphBuilder, x: Value, g: CrossFormerBlockGeometry): Value {
  const c = dimAt(x.shape, 3, 'groupTokens input [B, Hp, Wp, C]');
  const G = g.groupSize;
  if (g.kind === 'SDA') return b.op('windowPartition', [x], { window: [G, G], shift: [0, 0] }, 'groups');
  const I = g.interval;
  const span = G * I;
  const regions = g.paddedHeight === span && g.paddedWidth === span ? x : b.op('windowPartition', [x], { window: [span, span], shift: [0, 0] }, 'regions');
  const t = b.transpose(b.reshape(regions, [-1, G, I, G, I, c]), [0, 2, 4, 1, 3, 5]);
  return b.reshape(t, [-1, G * G, c], 'groups');
}

/** Inverse of groupTokens: [B * nG, G * G, C] -> [B, Hp, Wp, C]. */
export function ungroupTokens(b: GraphBuilder, x: Value, g: CrossFormerBlockGeometry): Value {
  const c = dimAt(x.shape, 2, 'ungroupTokens input [B * nG, G * G, C]');
  const G = g.groupSize;
  if (g.kind === 'SDA') {
    return b.op('windowReverse', [x], { window: [G, G], shift: [0, 0], height: g.paddedHeight, width: g.paddedWidth }, 'ungrouped');
  }
  const I = g.interval;
  const span = G * I;
  const t = b.transpose(b.reshape(x, [-1, I, I, G, G, c]), [0, 3, 1, 4, 2, 5]);
  if (g.paddedHeight === span && g.paddedWidth === span) return b.reshape(t, [-1, span, span, c], 'ungrouped');
  return b.op('windowReverse', [b.reshape(t, [-1, span * span, c])], { window: [span, span], shift: [0, 0], height: g.paddedHeight, width: g.paddedWidth }, 'ungrouped');
}
