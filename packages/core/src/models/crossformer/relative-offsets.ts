import { allocateFloat32 } from '../../memory/allocation-budget.js';
import { tensor, type TensorData } from '../../tensor/tensor.js';

/**
 * Input of CrossFormer's dynamic position bias for groups of gh x gw tokens: one row (dy, dx) per
 * relative offset, dy outer, dy in [1-gh, gh-1], dx in [1-gw, gw-1]. Shape [(2gh-1)(2gw-1), 2], in
 * the order relativePositionIndex(gh, gw) reads.
 */
export function relativeOffsets(gh: number, gw: number): TensorData<'float32'> {
  const rows = (2 * gh - 1) * (2 * gw - 1);
  const out = allocateFloat32(rows * 2, `relative offsets [${rows},2]`);
  let r = 0;
  for (let dy = 1 - gh; dy < gh; dy++) {
    for (let dx = 1 - gw; dx < gw; dx++) {
      out[r++] = dy;
      out[r++] = dx;
    }
  }
  return tensor('float32', [rows, 2], out);
}
