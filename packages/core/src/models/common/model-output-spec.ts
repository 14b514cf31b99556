import { ConfigError } from '../../errors.js';

/** Name of every model graph's input: NCHW float32 pixels. */
export const MODEL_INPUT = 'input';

/**
 * Which values a built model of any family returns (every family names them the same). Presets: 'logits' (or 'pooled' when there is no head),
 * 'pooled', 'stages' (per-stage NHWC feature maps before merging, for detection/segmentation
 * necks), 'all' (every intermediate the reference fixtures record). Or an explicit list of names:
 * logits, pooled, norm_out, embed, stage{i} (NHWC, before merging), stage{i}_out (after merging),
 * stage{i}_block{j}.
 */
export type ModelOutputSpec = 'logits' | 'pooled' | 'stages' | 'all' | readonly string[];

/** Expands an output spec into value names for a model with the given stage depths. */
export function resolveModelOutputs(spec: ModelOutputSpec, depths: readonly number[], hasHead: boolean): string[] {
  const stages = depths.map((_, i) => `stage${i}`);
  const all = [
    'embed',
    ...depths.flatMap((d, i) => [...Array.from({ length: d }, (_, j) => `stage${i}_block${j}`), `stage${i}_out`]),
    ...stages,
    'norm_out',
    'pooled',
    ...(hasHead ? ['logits'] : []),
  ];
  if (spec === 'logits') return [hasHead ? 'logits' : 'pooled'];
  if (spec === 'pooled') return ['pooled'];
  if (spec === 'stages') return stages;
  if (spec === 'all') return all;
  for (const name of spec) {
    if (!all.includes(name)) {
      throw new ConfigError(`unknown output '${name}': expected one of logits|pooled|stages|all or names ${all.join(', ')}`);
    }
  }
  return [...new Set(spec)];
}
