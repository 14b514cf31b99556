import { ConfigError } from '../../errors.js';

/** How one block sees its feature map: window, shift and padding, resolved from the map size. */
export interface BlockGeometry {
  readonly stage: number;
  readonly block: number;
  /** Feature map size entering the block. */
  readonly height: number;
  readonly width: number;
  /** Effective (square) window: the configured one, or the map's smaller side when the map is not larger. */
  readonly window: number;
  readonly shift: number;
  /** Map size after bottom/right zero padding to window multiples (torchvision / Hugging Face semantics). */
  readonly paddedHeight: number;
  readonly paddedWidth: number;
}

/**
 * Resolves window and shift per block. Official rule: when min(H, W) <= window the window
 * shrinks to min(H, W) and there is no shift. Sizes that are then not window multiples are padded
 * (an extension the official code does not allow; torchvision and Hugging Face pad the same way).
 */
export function resolveBlockGeometry(stage: number, block: number, height: number, width: number, window: number): BlockGeometry {
  if (height <= 0 || width <= 0) throw new ConfigError(`stage ${stage}: feature map ${height}x${width} is empty; the input is too small`);
  let win = window;
  let shift = block % 2 === 1 ? Math.floor(window / 2) : 0;
  if (Math.min(height, width) <= window) {
    win = Math.min(height, width);
    shift = 0;
  }
  const paddedHeight = Math.ceil(height / win) * win;
  const paddedWidth = Math.ceil(width / win) * win;
  return { stage, block, height, width, window: win, shift, paddedHeight, paddedWidth };
}

/** Feature map sizes per stage for an input of h x w pixels (patch embed pads to a patch multiple; merges round up). */
export function stageResolutions(h: number, w: number, patch: number, stages: number): [number, number][] {
  const out: [number, number][] = [];
  let sh = Math.ceil(h / patch);
  let sw = Math.ceil(w / patch);
  for (let i = 0; i < stages; i++) {
    out.push([sh, sw]);
    sh = Math.ceil(sh / 2);
    sw = Math.ceil(sw / 2);
  }
  return out;
}
