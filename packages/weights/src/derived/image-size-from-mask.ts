import { dimsOf, shapeSize, shiftWindowMask, toFloat32 } from '@swin/core';
import type { LazyTensor } from '../tensors/lazy-tensor.js';
import { tableWindow } from './expected-derived-buffers.js';

/**
 * The training resolution, read off a stored attn_mask. Bias tables tell the window but not the
 * input size; the official code's mask of the first shifted block does: it has one N x N slice per
 * window, and which windows are masked (those of the last row and the last column) gives the
 * layout, so even a rectangular size is recovered exactly. Layouts of the window count are tried
 * most-square first against the recomputed mask; two layouts never mask the same set of windows,
 * so the first that fits is the one. Returns undefined when there is no mask or nothing fits.
 */
export function imageSizeFromAttnMask(tensors: ReadonlyMap<string, LazyTensor>, patch: number): { size: [number, number]; from: string } | undefined {
  for (const [name, t] of tensors) {
    const m = /^layers\.(\d+)\.blocks\.(\d+)\.attn_mask$/.exec(name);
    if (!m || t.shape.length !== 3) continue;
    const table = tensors.get(`layers.${m[1]}.blocks.${m[2]}.attn.relative_position_bias_table`);
    const window = table ? tableWindow(table.shape[0]) : undefined;
    const [nW, n, n2] = dimsOf(t.shape, 3, name);
    if (!window || n !== window * window || n2 !== n || nW > 1 << 16) continue;
    const shift = Math.floor(window / 2);
    const values = toFloat32(t.load()).data;
    const layouts: [number, number][] = [];
    for (let rows = 1; rows <= nW; rows++) if (nW % rows === 0) layouts.push([rows, nW / rows]);
    layouts.sort((a, b) => Math.abs(a[0] - a[1]) - Math.abs(b[0] - b[1]) || a[0] - b[0]);
    for (const [rows, cols] of layouts) {
      const expected = shiftWindowMask(rows * window, cols * window, [window, window], [shift, shift]).data;
      if (expected.length !== shapeSize(t.shape) || !sameValues(expected, values)) continue;
      const scale = window * patch * 2 ** Number(m[1]);
      return { size: [rows * scale, cols * scale], from: name };
    }
    return undefined;
  }
  return undefined;
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
