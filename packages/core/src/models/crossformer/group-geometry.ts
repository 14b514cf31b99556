import { ConfigError } from '../../errors.js';

/** How one CrossFormer block groups its feature map, resolved from the map size. */
export interface CrossFormerBlockGeometry {
  readonly stage: number;
  readonly block: number;
  /** Feature map size entering the block. */
  readonly height: number;
  readonly width: number;
  /** SDA: groups of G x G adjacent tokens. LDA: group (i, j) holds tokens (i + I y, j + I x). */
  readonly kind: 'SDA' | 'LDA';
  /** G after the official rule (min(H, W) when the map is not larger than the configured G). */
  readonly groupSize: number;
  readonly interval: number;
  /** Tokens per group along each axis: G x G for SDA, Hp/I x Wp/I for LDA. */
  readonly groupHeight: number;
  readonly groupWidth: number;
  /** Map size after bottom/right zero padding to multiples of G (SDA) or I (LDA); padded keys are masked. */
  readonly paddedHeight: number;
  readonly paddedWidth: number;
  readonly numGroups: number;
}

/**
 * Resolves a block's grouping as the official code does: even blocks SDA, odd blocks LDA; when
 * min(H, W) <= G the block uses SDA with G = min(H, W); the map is padded to a multiple of G (SDA)
 * or I (LDA).
 */
export function resolveGroupGeometry(stage: number, block: number, height: number, width: number, groupSize: number, interval: number): CrossFormerBlockGeometry {
  if (height <= 0 || width <= 0) throw new ConfigError(`stage ${stage}: feature map ${height}x${width} is empty; the input is too small`);
  let kind: 'SDA' | 'LDA' = block % 2 === 1 ? 'LDA' : 'SDA';
  let G = groupSize;
  if (Math.min(height, width) <= G) {
    kind = 'SDA';
    G = Math.min(height, width);
  }
  const div = kind === 'SDA' ? G : interval;
  const paddedHeight = Math.ceil(height / div) * div;
  const paddedWidth = Math.ceil(width / div) * div;
  const [groupHeight, groupWidth] = kind === 'SDA' ? [G, G] : [paddedHeight / interval, paddedWidth / interval];
  const numGroups = (paddedHeight / groupHeight) * (paddedWidth / groupWidth);
  return { stage, block, height, width, kind, groupSize: G, interval, groupHeight, groupWidth, paddedHeight, paddedWidth, numGroups };
}

/** Group index and position within the group of the token at (y, x) of the padded map. */
export function groupSlot(g: CrossFormerBlockGeometry, y: number, x: number): { group: number; token: number } {
  if (g.kind === 'SDA') {
    const G = g.groupSize;
    return { group: Math.floor(y / G) * (g.paddedWidth / G) + Math.floor(x / G), token: (y % G) * G + (x % G) };
  }
  const I = g.interval;
  return { group: (y % I) * I + (x % I), token: Math.floor(y / I) * g.groupWidth + Math.floor(x / I) };
}
