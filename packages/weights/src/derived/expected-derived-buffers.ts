import { logSpacedRelativeCoords, pretrainedWindowOf, relativePositionIndex, resolveBlockGeometry, shiftWindowMask, stageResolutions, type BlockGeometry, type TensorData, type WindowGrid } from '@swin/core';

/**
 * Window side of a (2M-1)^2-row bias table, or undefined when the row count is not of that form or
 * missing (a file's table of rank 0 has no rows axis).
 */
export function tableWindow(rows: number | undefined): number | undefined {
  if (rows === undefined) return undefined;
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
 * Swin V2's relative_coords_table for a window M, flattened: core's position-MLP input for the
 * pretrained window the stored table itself shows (0: M), so a fine-tuned model's table checks out
 * and a corrupt one (which no pretrained window explains) does not.
 */
export function expectedRelativeCoordsTable(window: number, stored: TensorData): Float32Array {
  return logSpacedRelativeCoords(window, pretrainedWindowOf(stored, window)).data;
}
