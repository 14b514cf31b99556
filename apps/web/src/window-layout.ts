import { resolveBlockGeometry, stageResolutions, type BlockGeometry, type SwinV1Config } from '@swin/core';

/** Where one token of a stage sits in the windows of one block (regular or shifted). */
export interface TokenPlacement {
  /** Window index in the block's window order (row-major over the shifted, padded map). */
  readonly window: number;
  /** Position inside the window (row-major, 0 .. M*M-1): the query/key index of the attention matrix. */
  readonly slot: number;
  /**
   * For shifted blocks: which of the 3x3 regions of the cyclic shift the token belongs to. Tokens of
   * one window but different regions were not neighbours in the picture; the -100 mask keeps them
   * from attending to each other. 0 for unshifted blocks.
   */
  readonly region: number;
}

/** Window layout of one block over its stage's token grid. */
export interface WindowLayout {
  readonly geometry: BlockGeometry;
  /** Input pixels per token side (patch size * 2^stage). */
  readonly pixelsPerToken: number;
  /** Placement of token (y, x) of the unpadded stage map, at index y * width + x. */
  readonly tokens: readonly TokenPlacement[];
  /** Placement of token (y, x) of the unpadded stage map; a RangeError for a point off the map. */
  placementOf(y: number, x: number): TokenPlacement;
  /** Token (y, x) of the stage map for each (window, slot); null for padding tokens. */
  tokenAt(window: number, slot: number): { y: number; x: number } | null;
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** Region of a coordinate of the shifted map along one axis: the slices (0, -M), (-M, -s), (-s, end); one region on an axis that does not shift. */
function axisRegion(v: number, size: number, window: number, shift: number): number {
  if (shift === 0 || v < size - window) return 0;
  if (v < size - shift) return 1;
  return 2;
}

/**
 * The windows of block `block` of stage `stage`, as the model computes them: the map is padded to a
 * window multiple, rolled by -shift on each axis (the same on both under the official window rule;
 * torchvision's zeroes it on an axis the window covers), cut into M x M windows; the mask regions
 * follow the official code's slices. Token (y, x) moves to ((y - sy) mod Hp, (x - sx) mod Wp).
 */
export function windowLayout(config: SwinV1Config, inputSize: readonly [number, number], stage: number, block: number): WindowLayout {
  const res = stageResolutions(inputSize[0], inputSize[1], config.patch_size, config.depths.length)[stage];
  const depth = config.depths[stage];
  if (!res || depth === undefined || block < 0 || block >= depth) throw new RangeError(`no block ${block} in stage ${stage}`);
  const [H, W] = res;
  const geometry = resolveBlockGeometry(stage, block, H, W, config.window_size, config.window_rule);
  const { window: M, paddedHeight: Hp, paddedWidth: Wp } = geometry;
  const [sy, sx] = geometry.shifts;
  const windowsPerRow = Wp / M;
  const tokens: TokenPlacement[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const ys = mod(y - sy, Hp);
      const xs = mod(x - sx, Wp);
      const region = axisRegion(ys, Hp, M, sy) * 3 + axisRegion(xs, Wp, M, sx);
      tokens.push({ window: Math.floor(ys / M) * windowsPerRow + Math.floor(xs / M), slot: (ys % M) * M + (xs % M), region });
    }
  }
  return {
    geometry,
    pixelsPerToken: config.patch_size * 2 ** stage,
    tokens,
    placementOf(y, x) {
      const placement = Number.isInteger(y) && Number.isInteger(x) && y >= 0 && y < H && x >= 0 && x < W ? tokens[y * W + x] : undefined;
      if (!placement) throw new RangeError(`no token (${y}, ${x}) on the ${H}x${W} map of stage ${stage}`);
      return placement;
    },
    tokenAt(window, slot) {
      const ys = Math.floor(window / windowsPerRow) * M + Math.floor(slot / M);
      const xs = (window % windowsPerRow) * M + (slot % M);
      const y = mod(ys + sy, Hp);
      const x = mod(xs + sx, Wp);
      return y < H && x < W ? { y, x } : null;
    },
  };
}
