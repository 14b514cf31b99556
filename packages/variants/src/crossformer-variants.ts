import { CROSSFORMER_DEFAULTS, CROSSFORMER_FAMILY, ConfigError, mergeCrossFormerConfig, type CrossFormerConfig } from '@swin/core';

/** The four CrossFormer sizes of the paper and the four CrossFormer++ sizes of its sequel. */
export type CrossFormerSize =
  | 'crossformer-t'
  | 'crossformer-s'
  | 'crossformer-b'
  | 'crossformer-l'
  | 'crossformer-pp-s'
  | 'crossformer-pp-b'
  | 'crossformer-pp-l'
  | 'crossformer-pp-h';

/**
 * A named CrossFormer configuration at 224 with an ImageNet-1k head: CrossFormer (group 7, intervals
 * [8, 4, 2, 1]) or CrossFormer++ (groups [4, 4, 14, 7], intervals [4, 2, 1, 1], amplitude cooling layers).
 */
export interface CrossFormerVariant {
  readonly id: CrossFormerSize;
  readonly family: CrossFormerConfig['family'];
  readonly config: CrossFormerConfig;
  /** Parameters (M), FLOPs (G MACs) and ImageNet-1k top-1 (%) as the official README prints them. */
  readonly published: { readonly parametersM: number; readonly gmacs: number; readonly top1: number };
  /**
   * What the official code's own flops() returns for the configuration (G), measured by running it
   * (tools/reference: the official CrossFormer at 224). It leaves out the LDA padding that its forward
   * computes, the amplitude cooling layers and counts the position-bias MLP per group; for
   * CrossFormer++-S and -H the README's FLOPs (4.9, 21.8) do not match it (4.39, 21.59).
   */
  readonly officialFlopsG?: number;
  /**
   * Where the official weights are: Google Drive / Baidu pages (no stable direct download), so
   * there is no URL to fetch.
   */
  readonly checkpoint: undefined;
  /** The official page that links the weights (Google Drive / Baidu). */
  readonly weightsPage: string;
}

const WEIGHTS_PAGE = 'https://github.com/cheerss/CrossFormer';

interface SizeRow {
  readonly embed_dim: number;
  readonly depths: number[];
  readonly num_heads: number[];
  readonly published: CrossFormerVariant['published'];
  readonly officialFlopsG?: number;
}

// The official repository (cheerss/CrossFormer @ 7952010): configs/crossformer/*_patch4_group7_224.yaml,
// configs/crossformer_pp/*_patch4_group_const_224.yaml, and the README's ImageNet-1k table.
const CROSSFORMER: Readonly<Record<string, SizeRow>> = {
  'crossformer-t': { embed_dim: 64, depths: [1, 1, 8, 6], num_heads: [2, 4, 8, 16], published: { parametersM: 27.8, gmacs: 2.9, top1: 81.5 } },
  'crossformer-s': { embed_dim: 96, depths: [2, 2, 6, 2], num_heads: [3, 6, 12, 24], published: { parametersM: 30.7, gmacs: 4.9, top1: 82.5 } },
  'crossformer-b': { embed_dim: 96, depths: [2, 2, 18, 2], num_heads: [3, 6, 12, 24], published: { parametersM: 52.0, gmacs: 9.2, top1: 83.4 } },
  'crossformer-l': { embed_dim: 128, depths: [2, 2, 18, 2], num_heads: [4, 8, 16, 32], published: { parametersM: 92.0, gmacs: 16.1, top1: 84.0 } },
};
const CROSSFORMER_PP: Readonly<Record<string, SizeRow>> = {
  'crossformer-pp-s': { embed_dim: 64, depths: [2, 2, 18, 2], num_heads: [2, 4, 8, 16], published: { parametersM: 23.3, gmacs: 4.9, top1: 83.2 }, officialFlopsG: 4.389 },
  'crossformer-pp-b': { embed_dim: 96, depths: [2, 2, 18, 2], num_heads: [3, 6, 12, 24], published: { parametersM: 52.0, gmacs: 9.5, top1: 84.2 }, officialFlopsG: 9.504 },
  'crossformer-pp-l': { embed_dim: 128, depths: [2, 2, 18, 2], num_heads: [4, 8, 16, 32], published: { parametersM: 92.0, gmacs: 16.6, top1: 84.7 }, officialFlopsG: 16.567 },
  'crossformer-pp-h': { embed_dim: 128, depths: [6, 6, 18, 2], num_heads: [4, 8, 16, 32], published: { parametersM: 96.0, gmacs: 21.8, top1: 84.9 }, officialFlopsG: 21.586 },
};

/** What the two generations share: 224, four patch kernels, merges of kernels 2 and 4. */
const SHARED = { img_size: 224, patch_size: [4, 8, 16, 32], merge_size: [[2, 4], [2, 4], [2, 4]] };
/** CrossFormer++ (configs/crossformer_pp): progressive group sizes, smaller intervals, amplitude cooling layers. */
const PLUS_PLUS = { group_size: [4, 4, 14, 7], crs_interval: [4, 2, 1, 1], group_type: 'constant', use_acl: true };

function variant(id: string, row: SizeRow, options: Record<string, unknown>): CrossFormerVariant {
  const { published, officialFlopsG, ...arch } = row;
  const config = mergeCrossFormerConfig(CROSSFORMER_DEFAULTS, { ...arch, ...SHARED, ...options });
  return { id: id as CrossFormerSize, family: CROSSFORMER_FAMILY.id, config, published, checkpoint: undefined, weightsPage: WEIGHTS_PAGE, ...(officialFlopsG ? { officialFlopsG } : {}) };
}

/** Every CrossFormer size, T to L, then CrossFormer++ S to H. */
export function listCrossFormerVariants(): CrossFormerVariant[] {
  return [
    ...Object.entries(CROSSFORMER).map(([id, row]) => variant(id, row, { group_size: [7, 7, 7, 7], crs_interval: [8, 4, 2, 1] })),
    ...Object.entries(CROSSFORMER_PP).map(([id, row]) => variant(id, row, PLUS_PLUS)),
  ];
}

/** Looks a CrossFormer variant up by name (crossformer-t|s|b|l, crossformer-pp-s|b|l|h). */
export function getCrossFormerVariant(name: string): CrossFormerVariant {
  const id = name.trim().toLowerCase();
  const all = listCrossFormerVariants();
  const found = all.find((v) => v.id === id);
  if (!found) throw new ConfigError(`unknown CrossFormer variant '${name}': expected ${all.map((v) => v.id).join('|')}`);
  return found;
}
