import { CROSSFORMER_DEFAULTS, CROSSFORMER_FAMILY, ConfigError, mergeCrossFormerConfig, type CrossFormerConfig } from '@swin/core';

/** The four CrossFormer sizes of the paper. */
export type CrossFormerSize = 'crossformer-t' | 'crossformer-s' | 'crossformer-b' | 'crossformer-l';

/** A named CrossFormer configuration (224, group 7, intervals [8, 4, 2, 1], ImageNet-1k head). */
export interface CrossFormerVariant {
  readonly id: CrossFormerSize;
  readonly family: CrossFormerConfig['family'];
  readonly config: CrossFormerConfig;
  /** Parameters (M), FLOPs (G MACs) and ImageNet-1k top-1 (%) as the official README prints them. */
  readonly published: { readonly parametersM: number; readonly gmacs: number; readonly top1: number };
  /**
   * Where the official weights are: Google Drive / Baidu pages (no stable direct download), so
   * there is no URL to fetch; CrossFormer-L was not released.
   */
  readonly checkpoint: undefined;
}

// configs/crossformer/*_patch4_group7_224.yaml of the official repository.
const SIZES: Readonly<Record<CrossFormerSize, { embed_dim: number; depths: number[]; num_heads: number[]; published: CrossFormerVariant['published'] }>> = {
  'crossformer-t': { embed_dim: 64, depths: [1, 1, 8, 6], num_heads: [2, 4, 8, 16], published: { parametersM: 27.8, gmacs: 2.9, top1: 81.5 } },
  'crossformer-s': { embed_dim: 96, depths: [2, 2, 6, 2], num_heads: [3, 6, 12, 24], published: { parametersM: 30.7, gmacs: 4.9, top1: 82.5 } },
  'crossformer-b': { embed_dim: 96, depths: [2, 2, 18, 2], num_heads: [3, 6, 12, 24], published: { parametersM: 52.0, gmacs: 9.2, top1: 83.4 } },
  'crossformer-l': { embed_dim: 128, depths: [2, 2, 18, 2], num_heads: [4, 8, 16, 32], published: { parametersM: 92.0, gmacs: 16.1, top1: 84.0 } },
};

/** Every CrossFormer size, T to L. */
export function listCrossFormerVariants(): CrossFormerVariant[] {
  return (Object.keys(SIZES) as CrossFormerSize[]).map((id) => {
    const { published, ...arch } = SIZES[id];
    const config = mergeCrossFormerConfig(CROSSFORMER_DEFAULTS, {
      ...arch,
      img_size: 224,
      patch_size: [4, 8, 16, 32],
      group_size: [7, 7, 7, 7],
      crs_interval: [8, 4, 2, 1],
      merge_size: [
        [2, 4],
        [2, 4],
        [2, 4],
      ],
    });
    return { id, family: CROSSFORMER_FAMILY.id, config, published, checkpoint: undefined };
  });
}

/** Looks a CrossFormer variant up by name (crossformer-t|s|b|l). */
export function getCrossFormerVariant(name: string): CrossFormerVariant {
  const id = name.trim().toLowerCase();
  const found = listCrossFormerVariants().find((v) => v.id === id);
  if (!found) throw new ConfigError(`unknown CrossFormer variant '${name}': expected crossformer-t|crossformer-s|crossformer-b|crossformer-l`);
  return found;
}
