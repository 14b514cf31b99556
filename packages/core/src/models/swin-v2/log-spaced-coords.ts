import { allocateFloat32 } from '../../memory/allocation-budget.js';
import { tensor, type TensorData } from '../../tensor/tensor.js';

/**
 * Input of Swin V2's continuous position bias MLP for a window of `window` tokens: one row
 * (f(dy), f(dx)) per relative offset, dy outer, both in [-(window-1), window-1], with
 * f(d) = sign(t) log2(|t| + 1) / log2(8) and t = 8 d / (P - 1), P = `pretrainedWindow` when > 0
 * else `window`. Shape [(2W-1)^2, 2]; row (dy + W-1)(2W-1) + (dx + W-1), the relative position index's order.
 *
 * Evaluated in float32 step by step like the official buffer (a few entries may differ from it by
 * one float32 ulp, from log2's rounding). A window of 1 has the single offset (0, 0): the official
 * formula gives 0/0 = NaN there, we give 0.
 */
export function logSpacedRelativeCoords(window: number, pretrainedWindow: number): TensorData<'float32'> {
  const side = 2 * window - 1;
  const divisor = (pretrainedWindow > 0 ? pretrainedWindow : window) - 1;
  const f = Math.fround;
  const squash = (d: number): number => {
    let t = divisor > 0 ? f(d / divisor) : d;
    t = f(t * 8);
    const v = Math.sign(t) * f(Math.log2(f(Math.abs(t) + 1)));
    return f(v / 3);
  };
  const out = allocateFloat32(side * side * 2, `log-spaced coordinates [${side * side},2]`);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      out[(i * side + j) * 2] = squash(i - (window - 1));
      out[(i * side + j) * 2 + 1] = squash(j - (window - 1));
    }
  }
  return tensor('float32', [side * side, 2], out);
}
