import { SWIN_V1_DEFAULTS, type SwinV1Config } from '@swin/core';

/** The four Swin V1 sizes of the paper. */
export type SwinSize = 'swin-t' | 'swin-s' | 'swin-b' | 'swin-l';
export type Resolution = 224 | 384;
export type HeadKind = '1k' | '22k';

/** Architecture of each size at its base (224, window 7); 384 uses window 12. */
export const SIZE_ARCHITECTURES: Readonly<Record<SwinSize, Pick<SwinV1Config, 'embed_dim' | 'depths' | 'num_heads'>>> = {
  'swin-t': { embed_dim: 96, depths: [2, 2, 6, 2], num_heads: [3, 6, 12, 24] },
  'swin-s': { embed_dim: 96, depths: [2, 2, 18, 2], num_heads: [3, 6, 12, 24] },
  'swin-b': { embed_dim: 128, depths: [2, 2, 18, 2], num_heads: [4, 8, 16, 32] },
  'swin-l': { embed_dim: 192, depths: [2, 2, 18, 2], num_heads: [6, 12, 24, 48] },
};

/** Classes of the ImageNet-1k and ImageNet-22k heads (22k as released: 21,841 classes). */
export const HEAD_CLASSES: Readonly<Record<HeadKind, number>> = { '1k': 1000, '22k': 21841 };

const RELEASE = 'https://github.com/SwinTransformer/storage/releases/download';

/** A released official checkpoint: where it is, and what the paper / release reports for it. */
export interface OfficialCheckpoint {
  readonly url: string;
  /** sha256 of the file, where published; fetch verifies it when known. */
  readonly sha256?: string;
  /** ImageNet-1k top-1 (%) reported by the release, for 1k heads. */
  readonly top1?: number;
  /** Trained on 22k then fine-tuned on 1k. */
  readonly pretrained22k?: boolean;
}

// File names and accuracies as listed by the official release (Swin-Transformer README).
export const OFFICIAL_CHECKPOINTS: Readonly<Record<string, OfficialCheckpoint>> = {
  'swin-t-224-1k': { url: `${RELEASE}/v1.0.0/swin_tiny_patch4_window7_224.pth`, top1: 81.2 },
  'swin-s-224-1k': { url: `${RELEASE}/v1.0.0/swin_small_patch4_window7_224.pth`, top1: 83.2 },
  'swin-b-224-1k': { url: `${RELEASE}/v1.0.0/swin_base_patch4_window7_224.pth`, top1: 83.5 },
  'swin-b-384-1k': { url: `${RELEASE}/v1.0.0/swin_base_patch4_window12_384.pth`, top1: 84.5 },
  'swin-t-224-22k': { url: `${RELEASE}/v1.0.8/swin_tiny_patch4_window7_224_22k.pth` },
  'swin-s-224-22k': { url: `${RELEASE}/v1.0.8/swin_small_patch4_window7_224_22k.pth` },
  'swin-b-224-22k': { url: `${RELEASE}/v1.0.0/swin_base_patch4_window7_224_22k.pth` },
  'swin-b-384-22k': { url: `${RELEASE}/v1.0.0/swin_base_patch4_window12_384_22k.pth` },
  'swin-l-224-22k': { url: `${RELEASE}/v1.0.0/swin_large_patch4_window7_224_22k.pth` },
  'swin-l-384-22k': { url: `${RELEASE}/v1.0.0/swin_large_patch4_window12_384_22k.pth` },
  'swin-l-224-1k': { url: `${RELEASE}/v1.0.0/swin_large_patch4_window7_224_22kto1k.pth`, top1: 86.3, pretrained22k: true },
  'swin-l-384-1k': { url: `${RELEASE}/v1.0.0/swin_large_patch4_window12_384_22kto1k.pth`, top1: 87.3, pretrained22k: true },
};

/** Builds the official config for a size, resolution and head. */
export function variantConfig(size: SwinSize, resolution: Resolution, head: HeadKind): SwinV1Config {
  return {
    ...SWIN_V1_DEFAULTS,
    ...SIZE_ARCHITECTURES[size],
    img_size: resolution,
    window_size: resolution === 384 ? 12 : 7,
    num_classes: HEAD_CLASSES[head],
  };
}
