import { ConfigError, type SwinV1Config } from '@swin/core';
import { OFFICIAL_CHECKPOINTS, SIZE_ARCHITECTURES, variantConfig, type HeadKind, type OfficialCheckpoint, type Resolution, type SwinSize } from './variant-table.js';

/** A named variant: id like `swin-b-384-22k`, its config, and the official checkpoint when one exists. */
export interface SwinVariant {
  readonly id: string;
  readonly size: SwinSize;
  readonly resolution: Resolution;
  readonly head: HeadKind;
  readonly config: SwinV1Config;
  readonly checkpoint: OfficialCheckpoint | undefined;
}

const SIZES = Object.keys(SIZE_ARCHITECTURES) as SwinSize[];
const RESOLUTIONS: Resolution[] = [224, 384];
const HEADS: HeadKind[] = ['1k', '22k'];

/** Canonical id of a variant. */
export function variantId(size: SwinSize, resolution: Resolution, head: HeadKind): string {
  return `${size}-${resolution}-${head}`;
}

/** Every size x resolution x head, in a stable order. */
export function listVariants(): SwinVariant[] {
  return SIZES.flatMap((size) =>
    RESOLUTIONS.flatMap((resolution) =>
      HEADS.map((head) => {
        const id = variantId(size, resolution, head);
        return { id, size, resolution, head, config: variantConfig(size, resolution, head), checkpoint: OFFICIAL_CHECKPOINTS[id] };
      }),
    ),
  );
}

/**
 * Looks a variant up by name: `swin-t`, `swin-b-384`, `swin-l-22k`, `swin-b-384-22k`, or the full id
 * `swin-b-384-1k`. Resolution defaults to 224 and head to 1k. Unknown names list what exists.
 */
export function getVariant(name: string): SwinVariant {
  const m = /^(swin-[tsbl])(?:-(224|384))?(?:-(1k|22k))?$/.exec(name.trim().toLowerCase());
  if (!m) {
    throw new ConfigError(`unknown variant '${name}': expected swin-t|swin-s|swin-b|swin-l, optionally with -224|-384 and -1k|-22k (e.g. swin-b-384-22k)`);
  }
  const id = variantId(m[1] as SwinSize, Number(m[2] ?? 224) as Resolution, (m[3] ?? '1k') as HeadKind);
  return listVariants().find((v) => v.id === id)!;
}
