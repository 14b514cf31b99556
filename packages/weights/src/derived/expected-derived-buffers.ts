import { relativePositionIndex, resolveBlockGeometry, shiftWindowMask, stageResolutions, type BlockGeometry, type WindowGrid } from '@swin/core';

/** Window side of a (2M-1)^2-row bias table, or undefined when the row count is not of that form. */
export function tableWindow(rows: number): number | undefined {
  const side = Math.round(Math.sqrt(rows));
  return side * side === rows && side % 2 === 1 ? (side + 1) / 2 : undefined;
}

/** The relative_position_index the official code registers for a window M, flattened (M^2 * M^2). */
export function expectedRelativePositionIndex(window: number): Int32Array {
  return relativePositionIndex(window, window).data;
}

/** The geometry of block (stage, block) at the grid's training size, or null when that block has no shift (nor a stored mask). */
function shiftedBlock(grid: WindowGrid, stage: number, block: number): BlockGeometry | null {
  const [h, w] = grid.imageSize;
  const res = stageResolutions(h, w, grid.patchSize, grid.stages)[stage];
  if (!res) return null;
  const g = resolveBlockGeometry(stage, block, res[0], res[1], grid.window);
  return g.shift === 0 ? null : g;
}

/** Entries of that attn_mask (nW * N * N), computed without building it; null when the block has no shift. */
export function expectedAttnMaskSize(grid: WindowGrid, stage: number, block: number): number | null {
  const g = shiftedBlock(grid, stage, block);
  return g && (g.paddedHeight / g.window) * (g.paddedWidth / g.window) * g.window ** 4;
}

/**
 * The attn_mask the official code registers on block (stage, block) at the grid's training size,
 * flattened (nW * N * N), or null when that block has no shift (the official code stores none).
 */
export function expectedAttnMask(grid: WindowGrid, stage: number, block: number): Float32Array | null {
  const g = shiftedBlock(grid, stage, block);
  return g && shiftWindowMask(g.paddedHeight, g.paddedWidth, [g.window, g.window], [g.shift, g.shift]).data;
}

/**
 * Swin V2's relative_coords_table for a window M trained at that window: coordinates -(M-1)..M-1
 * scaled to +-8, then sign(t) * log2(|t| + 1) / log2(8); shape (1, 2M-1, 2M-1, 2), flattened.
 */
export function expectedRelativeCoordsTable(window: number): Float32Array {
  const side = 2 * window - 1;
  const out = new Float32Array(side * side * 2);
  const f = (c: number) => {
    const t = (8 * c) / (window - 1);
    return (Math.sign(t) * Math.log2(Math.abs(t) + 1)) / 3;
  };
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      out[(y * side + x) * 2] = f(y - (window - 1));
      out[(y * side + x) * 2 + 1] = f(x - (window - 1));
    }
  }
  return out;
}
