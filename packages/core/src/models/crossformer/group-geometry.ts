import { ConfigError } from '../../errors.js';

/** How one CrossFormer block groups its feature map, resolved from the map size. */
export interface CrossFormerBlockGeometry {
  readonly stage: number;
  readonly block: number;
  /** Feature map size entering the block. */
  readonly height: number;
  readonly width: number;
  /**
   * SDA: groups of G x G adjacent tokens. LDA: the padded map is cut into regions of (G I) x (G I)
   * tokens, and group (i, j) of a region holds its tokens (i + I y, j + I x), y, x < G.
   */
  readonly kind: 'SDA' | 'LDA';
  /** G after the official rule (min(H, W) when the map is not larger than the block's group size). */
  readonly groupSize: number;
  readonly interval: number;
  /** Tokens per group along each axis: G x G for both kinds. */
  readonly groupHeight: number;
  readonly groupWidth: number;
  /** Map size after zero padding to multiples of G (SDA) or G I (LDA). */
  readonly paddedHeight: number;
  readonly paddedWidth: number;
  /** Padding rows above / columns left of the map (pad_type 1); the rest is below / right. */
  readonly padTop: number;
  readonly padLeft: number;
  readonly numGroups: number;
  /** True when padded keys get the -1e6 mask (there is padding and no_mask is off). */
  readonly masked: boolean;
}

/** What resolving a block's grouping needs beyond its map size. */
export interface GroupRules {
  /** The block's group size before the shrink rule (blockGroupSizes). */
  readonly groupSize: number;
  /** The stage's crs_interval. */
  readonly interval: number;
  readonly adaptiveInterval: boolean;
  readonly padType: 0 | 1;
  readonly noMask: boolean;
}

const ORIGINAL_RULES = { adaptiveInterval: false, padType: 0, noMask: false } as const;

/**
 * Resolves a block's grouping as the official code does: even blocks SDA, odd blocks LDA; when
 * min(H, W) <= G the block uses SDA with G = min(H, W); with adaptive_interval the LDA interval is
 * ceil(H / G); the map is padded to a multiple of G (SDA) or G I (LDA), at the bottom/right
 * (pad_type 0) or split with the smaller half on top/left (pad_type 1).
 */
export function resolveGroupGeometry(
  stage: number,
  block: number,
  height: number,
  width: number,
  groupSize: number,
  interval: number,
  rules: Partial<GroupRules> = {},
): CrossFormerBlockGeometry {
  const { adaptiveInterval, padType, noMask } = { ...ORIGINAL_RULES, ...rules };
  if (height <= 0 || width <= 0) throw new ConfigError(`stage ${stage}: feature map ${height}x${width} is empty; the input is too small`);
  let kind: 'SDA' | 'LDA' = block % 2 === 1 ? 'LDA' : 'SDA';
  let G = groupSize;
  if (Math.min(height, width) <= G) {
    kind = 'SDA';
    G = Math.min(height, width);
  }
  const I = adaptiveInterval ? Math.ceil(height / G) : interval;
  const div = kind === 'SDA' ? G : G * I;
  const padH = (div - (height % div)) % div;
  const padW = (div - (width % div)) % div;
  const [padTop, padLeft] = padType === 0 ? [0, 0] : [Math.floor(padH / 2), Math.floor(padW / 2)];
  const paddedHeight = height + padH;
  const paddedWidth = width + padW;
  const numGroups = (paddedHeight * paddedWidth) / (G * G);
  const masked = !noMask && (padH > 0 || padW > 0);
  return { stage, block, height, width, kind, groupSize: G, interval: I, groupHeight: G, groupWidth: G, paddedHeight, paddedWidth, padTop, padLeft, numGroups, masked };
}

/** True when (y, x) of the padded map is padding. */
export function isPadding(g: CrossFormerBlockGeometry, y: number, x: number): boolean {
  return y < g.padTop || y >= g.padTop + g.height || x < g.padLeft || x >= g.padLeft + g.width;
}

/** Group index and position within the group of the token at (y, x) of the padded map. */
export function groupSlot(g: CrossFormerBlockGeometry, y: number, x: number): { group: number; token: number } {
  const G = g.groupSize;
  if (g.kind === 'SDA') return { group: Math.floor(y / G) * (g.paddedWidth / G) + Math.floor(x / G), token: (y % G) * G + (x % G) };
  const I = g.interval;
  const span = G * I;
  const region = Math.floor(y / span) * (g.paddedWidth / span) + Math.floor(x / span);
  const [ry, rx] = [y % span, x % span];
  return { group: (region * I + (ry % I)) * I + (rx % I), token: Math.floor(ry / I) * G + Math.floor(rx / I) };
}
