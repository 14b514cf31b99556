import { ConfigError } from '../../errors.js';
import { depthsFromWeightNames, weightShapeOf } from '../common/config-checks.js';
import { dimAt } from '../../tensor/shape-dims.js';
import type { WeightMap } from '../weight-map.js';
import { CROSSFORMER_DEFAULTS, mergeCrossFormerConfig, type CrossFormerConfig } from './crossformer-config.js';

const shapeOf = (weights: WeightMap, name: string) => weightShapeOf(weights, name, 'the CrossFormer architecture');

/** Axis `axis` of weight `name`'s shape: a file's shapes are not trusted, so a missing axis is a typed error. */
const dimOf = (weights: WeightMap, name: string, axis: number) => dimAt(shapeOf(weights, name), axis, `weight '${name}'`);

/** Kernel sizes of the convolutions `${prefix}.{k}.weight`, k = 0, 1, ... */
function kernelsOf(weights: WeightMap, prefix: string): number[] {
  const kernels: number[] = [];
  for (let k = 0; weights.has(`${prefix}.${k}.weight`); k++) kernels.push(dimOf(weights, `${prefix}.${k}.weight`, 2));
  return kernels;
}

/** Official head width of the released models (CrossFormer and CrossFormer++): 32 channels per head. */
const RELEASED_HEAD_DIM = 32;

/**
 * Reads the CrossFormer / CrossFormer++ architecture off canonical weights: patch kernels, channels
 * and embed dim from the patch-embedding convolutions; depths from block names; heads from the
 * position-bias MLP's output; per-stage mlp ratios from fc1; merge kernels from the reductions;
 * qkv bias, patch norm and head from which weights exist; use_acl from the amplitude cooling layers
 * (ex_conv); use_cpe from the CPE convolutions, whose channel count (the stage's rows) also gives
 * img_size = rows x patch stride. Not in the parameters: group sizes and intervals (the position bias
 * is an MLP over offsets; default the official G = 7 and I = 2^(stages-1-i), [8, 4, 2, 1] for four
 * stages), img_size without CPE (224), and the heads with CPE (no position MLP: dim / 32, the
 * released models' head width); `overrides` (official argument names) win.
 */
export function inferCrossFormerConfig(weights: WeightMap, overrides: Record<string, unknown> = {}): CrossFormerConfig {
  const family = overrides['family'] ?? 'crossformer';
  if (family !== 'crossformer') throw new ConfigError(`config.family: expected "crossformer", found ${JSON.stringify(family)}`);
  const patchKernels = kernelsOf(weights, 'patch_embed.projs');
  const [patchStride] = patchKernels;
  if (patchStride === undefined) throw new ConfigError(`cannot infer the CrossFormer architecture: weight 'patch_embed.projs.0.weight' is missing`);
  let embed = 0;
  patchKernels.forEach((_, k) => (embed += dimOf(weights, `patch_embed.projs.${k}.weight`, 0)));
  const inChans = dimOf(weights, 'patch_embed.projs.0.weight', 1);
  const depths = depthsFromWeightNames(weights.keys());
  const n = depths.length;
  const head = weights.get('head.weight');
  const useCpe = weights.has('layers.0.blocks.0.cpe.weight');
  const headsOf = (i: number) => {
    if (!useCpe) return dimOf(weights, `layers.${i}.blocks.0.attn.pos.pos3.2.weight`, 0);
    const dim = embed * 2 ** i;
    if (dim % RELEASED_HEAD_DIM !== 0 && overrides['num_heads'] === undefined) {
      throw new ConfigError(`cannot infer num_heads: a CrossFormer++ with use_cpe has no position-bias weights to tell them, and stage ${i}'s ${dim} channels are not a multiple of ${RELEASED_HEAD_DIM}; pass num_heads`);
    }
    return Math.max(1, Math.floor(dim / RELEASED_HEAD_DIM));
  };
  const cpeRows = useCpe ? dimOf(weights, 'layers.0.blocks.0.cpe.weight', 0) : 0;
  const inferred: CrossFormerConfig = {
    ...CROSSFORMER_DEFAULTS,
    patch_size: patchKernels,
    in_chans: inChans,
    num_classes: head ? dimAt(head.shape, 0, "weight 'head.weight'") : 0,
    embed_dim: embed,
    depths,
    ...(useCpe ? { img_size: cpeRows * patchStride } : {}),
    num_heads: depths.map((_, i) => headsOf(i)),
    group_size: depths.map(() => 7),
    crs_interval: depths.map((_, i) => 2 ** (n - 1 - i)),
    mlp_ratio: depths.map((_, i) => dimOf(weights, `layers.${i}.blocks.0.mlp.fc1.weight`, 0) / (embed * 2 ** i)),
    qkv_bias: weights.has('layers.0.blocks.0.attn.qkv.bias'),
    patch_norm: weights.has('patch_embed.norm.weight'),
    merge_size: depths.slice(0, -1).map((_, i) => kernelsOf(weights, `layers.${i}.downsample.reductions`)),
    use_cpe: useCpe,
    use_acl: [...weights.keys()].some((n) => /^layers\.\d+\.blocks\.\d+\.ex_conv\.weight$/.test(n)),
  };
  const rest = { ...overrides };
  delete rest['family'];
  return mergeCrossFormerConfig(inferred, rest);
}
