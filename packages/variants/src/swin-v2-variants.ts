import { ConfigError, SWIN_V2_DEFAULTS, SWIN_V2_FAMILY, mergeSwinV2Config, type SwinV2Config } from '@swin/core';
import { HEAD_CLASSES, SIZE_ARCHITECTURES, type OfficialCheckpoint, type SwinSize } from './variant-table.js';

/** Which training produced a Swin V2 release: 1k from scratch, 22k pretraining (22k head), or 22k then 1k fine-tuning. */
export type SwinV2Training = '1k' | '22k' | '22kto1k';

/** A named Swin V2 configuration of the official release (Swin-Transformer, release v2.0.0). */
export interface SwinV2Variant {
  readonly id: string;
  readonly family: SwinV2Config['family'];
  readonly size: SwinSize;
  readonly resolution: 192 | 256 | 384;
  readonly window: number;
  readonly training: SwinV2Training;
  readonly config: SwinV2Config;
  readonly checkpoint: OfficialCheckpoint;
  /** Parameters (M) and FLOPs (G MACs) as the release table prints them, where it prints them. */
  readonly published?: { readonly parametersM: number; readonly gmacs: number };
}

const RELEASE = 'https://github.com/SwinTransformer/storage/releases/download/v2.0.0';
const SIZE_NAMES: Readonly<Record<SwinSize, string>> = { 'swin-t': 'tiny', 'swin-s': 'small', 'swin-b': 'base', 'swin-l': 'large' };

interface Row {
  size: SwinSize;
  resolution: 192 | 256 | 384;
  window: number;
  training: SwinV2Training;
  file: string;
  top1?: number;
  published?: { parametersM: number; gmacs: number };
}

// The official model zoo: 1k models at 256 with windows 8 and 16; 22k-pretrained B and L at 192
// (window 12) and their 1k fine-tunes at 256 (window 16) and 384 (window 24), whose position MLPs
// were trained at window 12 in stages 0-2 and 6 in stage 3 (pretrained_window_sizes [12, 12, 12, 6]).
const ROWS: readonly Row[] = [
  { size: 'swin-t', resolution: 256, window: 8, training: '1k', file: 'window8_256', top1: 81.8, published: { parametersM: 28.3, gmacs: 5.9 } },
  { size: 'swin-t', resolution: 256, window: 16, training: '1k', file: 'window16_256', top1: 82.8, published: { parametersM: 28.3, gmacs: 6.6 } },
  { size: 'swin-s', resolution: 256, window: 8, training: '1k', file: 'window8_256', top1: 83.7, published: { parametersM: 49.7, gmacs: 11.5 } },
  { size: 'swin-s', resolution: 256, window: 16, training: '1k', file: 'window16_256', top1: 84.1, published: { parametersM: 49.7, gmacs: 12.6 } },
  { size: 'swin-b', resolution: 256, window: 8, training: '1k', file: 'window8_256', top1: 84.2, published: { parametersM: 87.9, gmacs: 20.3 } },
  { size: 'swin-b', resolution: 256, window: 16, training: '1k', file: 'window16_256', top1: 84.6, published: { parametersM: 87.9, gmacs: 21.8 } },
  { size: 'swin-b', resolution: 192, window: 12, training: '22k', file: 'window12_192_22k' },
  { size: 'swin-b', resolution: 256, window: 16, training: '22kto1k', file: 'window12to16_192to256_22kto1k_ft', top1: 86.2, published: { parametersM: 87.9, gmacs: 21.8 } },
  { size: 'swin-b', resolution: 384, window: 24, training: '22kto1k', file: 'window12to24_192to384_22kto1k_ft', top1: 87.1, published: { parametersM: 87.9, gmacs: 54.7 } },
  { size: 'swin-l', resolution: 192, window: 12, training: '22k', file: 'window12_192_22k' },
  { size: 'swin-l', resolution: 256, window: 16, training: '22kto1k', file: 'window12to16_192to256_22kto1k_ft', top1: 86.9, published: { parametersM: 196.7, gmacs: 47.5 } },
  { size: 'swin-l', resolution: 384, window: 24, training: '22kto1k', file: 'window12to24_192to384_22kto1k_ft', top1: 87.6, published: { parametersM: 196.7, gmacs: 115.4 } },
];

/** Canonical id of a Swin V2 variant, e.g. swinv2-b-384-w24-22kto1k. */
export function swinV2VariantId(size: SwinSize, resolution: number, window: number, training: SwinV2Training): string {
  return `swinv2-${size.slice(5)}-${resolution}-w${window}-${training}`;
}

function variantOf(row: Row): SwinV2Variant {
  const config = mergeSwinV2Config(SWIN_V2_DEFAULTS, {
    ...SIZE_ARCHITECTURES[row.size],
    img_size: row.resolution,
    window_size: row.window,
    num_classes: HEAD_CLASSES[row.training === '22k' ? '22k' : '1k'],
    pretrained_window_sizes: row.training === '22kto1k' ? [12, 12, 12, 6] : [0, 0, 0, 0],
  });
  const checkpoint: OfficialCheckpoint = {
    url: `${RELEASE}/swinv2_${SIZE_NAMES[row.size]}_patch4_${row.file}.pth`,
    ...(row.top1 !== undefined ? { top1: row.top1 } : {}),
    ...(row.training === '22kto1k' ? { pretrained22k: true } : {}),
  };
  return {
    id: swinV2VariantId(row.size, row.resolution, row.window, row.training),
    family: SWIN_V2_FAMILY.id,
    size: row.size,
    resolution: row.resolution,
    window: row.window,
    training: row.training,
    config,
    checkpoint,
    ...(row.published ? { published: row.published } : {}),
  };
}

/** Every released Swin V2 configuration, in the release table's order. */
export function listSwinV2Variants(): SwinV2Variant[] {
  return ROWS.map(variantOf);
}

/**
 * Looks a Swin V2 variant up: the full id (`swinv2-b-384-w24-22kto1k`) or a prefix of its parts in
 * order, size first (`swinv2-t` = 256 / window 8 / 1k, `swinv2-s-256-w16`, `swinv2-l-384`): the
 * first release matching every given part. Unknown names list the ids that exist.
 */
export function getSwinV2Variant(name: string): SwinV2Variant {
  const m = /^swinv2-([tsbl])(?:-(192|256|384))?(?:-w(8|12|16|24))?(?:-(1k|22k|22kto1k))?$/.exec(name.trim().toLowerCase());
  const all = listSwinV2Variants();
  const found = m
    ? all.find(
        (v) =>
          v.size === `swin-${m[1]}` &&
          (m[2] === undefined || v.resolution === Number(m[2])) &&
          (m[3] === undefined || v.window === Number(m[3])) &&
          (m[4] === undefined || v.training === m[4]),
      )
    : undefined;
  if (!found) throw new ConfigError(`unknown Swin V2 variant '${name}': expected one of ${all.map((v) => v.id).join(', ')} (or a prefix such as swinv2-t, swinv2-b-384)`);
  return found;
}
