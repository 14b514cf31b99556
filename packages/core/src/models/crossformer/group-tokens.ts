import type { GraphBuilder, Value } from '../../graph/graph-builder.js';
import type { CrossFormerBlockGeometry } from './group-geometry.js';

/**
 * [B, Hp, Wp, C] -> [B * nG, Gh * Gw, C], the groups of one image consecutive. SDA is a window
 * partition without shift (the windowPartition composite); LDA is a reshape and a transpose of
 * existing ops: [B, Gh, I, Gw, I, C] -> [B, I, I, Gh, Gw, C], group (i, j) = tokens (i + I y, j + I x).
 */
export function groupTokens(b: GraphBuilder, x: Value, g: CrossFormerBlockGeometry): Value {
  const c = x.shape[3]!;
  if (g.kind === 'SDA') return b.op('windowPartition', [x], { window: [g.groupSize, g.groupSize], shift: [0, 0] }, 'groups');
  const I = g.interval;
  const t = b.transpose(b.reshape(x, [-1, g.groupHeight, I, g.groupWidth, I, c]), [0, 2, 4, 1, 3, 5]);
  return b.reshape(t, [-1, g.groupHeight * g.groupWidth, c], 'groups');
}

/** Inverse of groupTokens: [B * nG, Gh * Gw, C] -> [B, Hp, Wp, C]. */
export function ungroupTokens(b: GraphBuilder, x: Value, g: CrossFormerBlockGeometry): Value {
  const c = x.shape[2]!;
  if (g.kind === 'SDA') {
    return b.op('windowReverse', [x], { window: [g.groupSize, g.groupSize], shift: [0, 0], height: g.paddedHeight, width: g.paddedWidth }, 'ungrouped');
  }
  const I = g.interval;
  const t = b.transpose(b.reshape(x, [-1, I, I, g.groupHeight, g.groupWidth, c]), [0, 3, 1, 4, 2, 5]);
  return b.reshape(t, [-1, g.paddedHeight, g.paddedWidth, c], 'ungrouped');
}
