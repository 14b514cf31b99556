import { checkAllocation } from '../../memory/allocation-budget.js';
import { int32, type TensorData } from '../../tensor/tensor.js';

/**
 * For a window of wh x ww tokens, the row of the bias table each (query, key) pair reads:
 * (dy + wh - 1) * (2 ww - 1) + (dx + ww - 1), dy = y_query - y_key. Shape [N*N], row-major (query, key).
 * `tableWindow` lets a larger table serve a smaller window: offsets are looked up in the big table.
 */
export function relativePositionIndex(wh: number, ww: number, tableWindow: [number, number] = [wh, ww]): TensorData<'int32'> {
  const n = wh * ww;
  const [th, tw] = tableWindow;
  checkAllocation(n * n * 12, `relative position index [${n * n}] for window ${wh}x${ww}`); // a number array, then its int32 copy
  const out = new Array<number>(n * n);
  for (let q = 0; q < n; q++) {
    const qy = Math.floor(q / ww);
    const qx = q % ww;
    for (let k = 0; k < n; k++) {
      const dy = qy - Math.floor(k / ww);
      const dx = qx - (k % ww);
      out[q * n + k] = (dy + th - 1) * (2 * tw - 1) + (dx + tw - 1);
    }
  }
  return int32([n * n], out);
}
