import { ConfigError } from '../../errors.js';

/**
 * How a block picks its window and shift from its feature map:
 * - 'official' (Microsoft, Hugging Face): when min(H, W) <= window the window shrinks to min(H, W)
 *   and there is no shift;
 * - 'torchvision': the window never shrinks; the map is padded to window multiples and the shift is
 *   zeroed per axis, only on an axis the window covers (padded side <= window).
 * The two agree when every stage is larger than the window on both axes or equal to it on both.
 */
export type WindowRule = 'official' | 'torchvision';

/** The window rules, for config validation and error messages. */
export const WINDOW_RULES: readonly WindowRule[] = ['official', 'torchvision'];

/** How one block sees its feature map: window, shift and padding, resolved from the map size. */
export interface BlockGeometry {
  readonly stage: number;
  readonly block: number;
  /** Feature map size entering the block. */
  readonly height: number;
  readonly width: number;
  /** Effective (square) window: the configured one, or (official rule) the map's smaller side when the map is not larger. */
  readonly window: number;
  /** The shift along each shifted axis (0: the block does not shift). */
  readonly shift: number;
  /** The shift per axis [rows, columns]: [shift, shift] under the official rule, one may be 0 under torchvision's. */
  readonly shifts: readonly [number, number];
  /** Map size after bottom/right zero padding to window multiples (torchvision / Hugging Face semantics). */
  readonly paddedHeight: number;
  readonly paddedWidth: number;
}

/**
 * Resolves window and shift per block under `rule` (see WindowRule). Sizes that are then not window
 * multiples are padded (an extension the official code does not allow; torchvision and Hugging Face
 * pad the same way).
 */
export function resolveBlockGeometry(stage: number, block: number, height: number, width: number, window: number, rule: WindowRule = 'official'): BlockGeometry {
  if (height <= 0 || width <= 0) throw new ConfigError(`stage ${stage}: feature map ${height}x${width} is empty; the input is too small`);
  let win = window;
  let shift = block % 2 === 1 ? Math.floor(window / 2) : 0;
  if (rule === 'official' && Math.min(height, width) <= window) {
    win = Math.min(height, width);
    shift = 0;
  }
  const paddedHeight = Math.ceil(height / win) * win;
  const paddedWidth = Math.ceil(width / win) * win;
  const shifts: [number, number] = rule === 'torchvision' ? [paddedHeight > win ? shift : 0, paddedWidth > win ? shift : 0] : [shift, shift];
  return { stage, block, height, width, window: win, shift: Math.max(...shifts), shifts, paddedHeight, paddedWidth };
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
