import { allocateFloat32 } from '../../memory/allocation-budget.js';
import { float32, type TensorData } from '../../tensor/tensor.js';
import { groupSlot, isPadding, type CrossFormerBlockGeometry } from './group-geometry.js';

/** The official code's value for padded keys: large enough to vanish in softmax, finite so no row goes NaN. */
export const PADDED_KEY_MASK_VALUE = -1e6;

/**
 * Attention mask for a block whose map was padded: [nG, 1, N, N] with -1e6 in the columns of keys
 * that are padding, so no real token attends to them (padded queries are computed and cropped).
 * Undefined when nothing was padded or the block does not mask (no_mask).
 */
export function paddedKeyMask(g: CrossFormerBlockGeometry): TensorData<'float32'> | undefined {
  if (!g.masked) return undefined;
  const n = g.groupHeight * g.groupWidth;
  const out = allocateFloat32(g.numGroups * n * n, `padded-key mask [${g.numGroups},1,${n},${n}]`);
  for (let y = 0; y < g.paddedHeight; y++) {
    for (let x = 0; x < g.paddedWidth; x++) {
      if (!isPadding(g, y, x)) continue;
      const { group, token } = groupSlot(g, y, x);
      for (let q = 0; q < n; q++) out[(group * n + q) * n + token] = PADDED_KEY_MASK_VALUE;
    }
  }
  return float32([g.numGroups, 1, n, n], out);
}
