import { ConfigError } from '../../errors.js';
import { dimAt, dimsOf } from '../../tensor/shape-dims.js';
import type { WeightMap } from '../weight-map.js';
import { depthsFromWeightNames } from './config-checks.js';

/**
 * The overrides given to a family's config inference, without `family` once it is checked to name
 * that family (`hint` follows the expected name in the error).
 */
export function familyOverrides(overrides: Record<string, unknown>, family: string, hint = ''): Record<string, unknown> {
  const given = overrides['family'] ?? family;
  if (given !== family) throw new ConfigError(`config.family: expected "${family}"${hint}, found ${JSON.stringify(given)}`);
  const rest = { ...overrides };
  delete rest['family'];
  return rest;
}

/** The patch embedding convolution's [embed_dim, in_chans, patch, patch] and the stage depths, read first by every Swin inference. */
export function readSwinLayout(weights: WeightMap, shapeOf: (name: string) => readonly number[]): { embed: number; inChans: number; patch: number; depths: number[] } {
  const conv = 'patch_embed.proj.weight';
  const [embed, inChans, patch] = dimsOf(shapeOf(conv), 4, conv);
  return { embed, inChans, patch, depths: depthsFromWeightNames(weights.keys()) };
}

/**
 * What Swin V1 and V2 read alike off canonical weights once their own per-stage reads are done: mlp
 * ratio from fc1, classes from the head, ape and patch norm from which weights exist, and the
 * training size the ape grid implies (undefined without ape).
 */
export function readSwinCommonFields(
  weights: WeightMap,
  shapeOf: (name: string) => readonly number[],
  layout: { embed: number; inChans: number; patch: number; depths: number[] },
  numHeads: number[],
) {
  // fc1's first dimension is the hidden width.
  const fc1 = 'layers.0.blocks.0.mlp.fc1.weight';
  const hidden = dimAt(shapeOf(fc1), 0, fc1);
  const head = weights.get('head.weight');
  const ape = weights.get('absolute_pos_embed');
  return {
    fields: {
      patch_size: layout.patch,
      in_chans: layout.inChans,
      // A head weight is [classes, features].
      num_classes: head ? dimAt(head.shape, 0, 'head.weight') : 0,
      embed_dim: layout.embed,
      depths: layout.depths,
      num_heads: numHeads,
      mlp_ratio: hidden / layout.embed,
      ape: ape !== undefined,
      patch_norm: weights.has('patch_embed.norm.weight'),
    },
    // absolute_pos_embed is [1, tokens, C] over a square grid of patches.
    apeImageSize: ape ? Math.round(Math.sqrt(dimAt(ape.shape, 1, 'absolute_pos_embed'))) * layout.patch : undefined,
  };
}
