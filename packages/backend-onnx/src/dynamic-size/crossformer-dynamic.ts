import { PADDED_KEY_MASK_VALUE, blockGroupSizes, hasCoolingLayer, type CrossFormerConfig } from '@swin/core';
import type { OnnxValue } from '../emit/onnx-graph-emitter.js';
import type { DynamicModel, TokenMap } from './dynamic-model.js';
import { groupedAttention, headMoves } from './grouped-attention.js';
import { gatherBias, offsetRows, relativeIndex } from './relative-position-bias.js';
import type { RuntimeInt } from './runtime-ints.js';
import { paddedKeyMask, tokenGrouping, windowAxis, type AxisGrouping, type TokenGrouping } from './token-grouping.js';

/**
 * One axis of a long-distance (LDA) block when the run's map is larger than the group size G (the
 * official layout: regions of G * I rows, group i of a region holding its rows i, i + I, ...), else
 * the short-distance (SDA) window of min(H, W) the official rule falls back to: both are
 * AxisGroupings, chosen per field by one runtime condition. I may be known only at run time
 * (adaptive_interval).
 */
function ldaOrSdaAxis(m: DynamicModel, size: RuntimeInt, group: number, interval: RuntimeInt, lda: boolean | OnnxValue, sda: AxisGrouping): AxisGrouping {
  const { ints } = m.rt;
  const span = ints.mul(group, interval);
  const padded = ints.roundUp(size, span);
  return {
    size,
    padded: ints.select(lda, padded, sda.padded),
    groups: ints.select(lda, ints.mul(ints.div(padded, span), interval), sda.groups),
    tokens: ints.select(lda, group, sda.tokens),
    groupStride: ints.select(lda, 1, sda.groupStride),
    tokenStride: ints.select(lda, interval, sda.tokenStride),
    period: ints.select(lda, interval, sda.period),
    periodStride: ints.select(lda, span, sda.periodStride),
    shift: 0,
  };
}

/**
 * pad_type 1: the official code splits an axis's padding, floor(pad / 2) before the map and the
 * rest after. Padding is contiguous on the cyclic axis, so this is the bottom/right padding of
 * pad_type 0 rolled by floor(pad / 2): reading padded row p from map row (p - before) mod padded
 * finds the map for before <= p < before + size and padding (a row >= size) elsewhere.
 */
function padBothSides(m: DynamicModel, a: AxisGrouping): AxisGrouping {
  const { ints } = m.rt;
  const before = ints.div(ints.sub(a.padded, a.size), 2);
  return { ...a, shift: ints.sub(a.padded, before) };
}

/**
 * A block's grouping at run time, as core's resolveGroupGeometry: even blocks SDA with G, odd
 * blocks LDA with the interval I (ceil(H / G) with adaptive_interval) in regions of G * I; when
 * min(H, W) <= G, SDA with G = min(H, W); padded at the bottom/right, or on both sides (pad_type 1).
 * G is the block's size from blockGroupSizes (group_type, from img_size: a constant per block).
 */
function crossFormerGrouping(m: DynamicModel, config: CrossFormerConfig, map: TokenMap, stage: number, block: number): { grouping: TokenGrouping; key: string } {
  const groupSizes = m.shared('crossformer:group-sizes', () => blockGroupSizes(config));
  // A validated config: blockGroupSizes has one list per stage of one size per block.
  const G = groupSizes[stage]![block]!;
  const isLda = block % 2 === 1;
  const key = `crossformer:${stage}:${isLda ? 'lda' : 'sda'}:${G}`;
  return m.shared(key, () => {
    const { ints } = m.rt;
    const minSide = ints.min(map.height, map.width);
    const window = ints.min(G, minSide);
    const padded = (a: AxisGrouping) => (config.pad_type === 1 ? padBothSides(m, a) : a);
    const sdaRows = windowAxis(m.rt, map.height, window, 0);
    const sdaCols = windowAxis(m.rt, map.width, window, 0);
    if (!isLda) return { grouping: tokenGrouping(m.rt, padded(sdaRows), padded(sdaCols)), key };
    // A validated config: crs_interval has one entry per stage. The adaptive interval reads the
    // map's height for both axes, as the official code does.
    const I = config.adaptive_interval ? ints.ceilDiv(map.height, G) : config.crs_interval[stage]!;
    const lda = ints.greater(minSide, G);
    return { grouping: tokenGrouping(m.rt, padded(ldaOrSdaAxis(m, map.height, G, I, lda, sdaRows)), padded(ldaOrSdaAxis(m, map.width, G, I, lda, sdaCols))), key };
  });
}

/** The dynamic position bias for the group shape: pos_proj, then (LayerNorm, ReLU, Linear) x 3, over every relative offset, gathered: [nH, N, N]. */
function dynamicPositionBias(m: DynamicModel, prefix: string, g: TokenGrouping, key: string): OnnxValue {
  const { rows, cols } = g;
  const pre = `${prefix}.attn.pos`;
  const offsets = m.shared(`${key}:offsets`, () => offsetRows(m.rt, rows.tokens, cols.tokens, (d) => d));
  let pos = m.linear(offsets, `${pre}.pos_proj`);
  for (const layer of ['pos1', 'pos2', 'pos3']) pos = m.linear(m.rt.op('Relu', [m.norm(pos, `${pre}.${layer}.0`)]), `${pre}.${layer}.2`);
  const index = m.shared(`${key}:index`, () => relativeIndex(m.rt, rows.tokens, cols.tokens, rows.tokens, cols.tokens));
  return gatherBias(m.rt, m.rt.transpose(pos, [1, 0]), index);
}

/** `${prefix}.0` ... one per kernel: the official nn.ModuleList names. */
function indexed(prefix: string, kernels: readonly number[]): string[] {
  return kernels.map((_, i) => `${prefix}.${i}`);
}

/** The cross-scale patch embedding: convolutions of every kernel at stride patch_size[0], then LayerNorm. */
export function crossFormerEmbedding(m: DynamicModel, input: OnnxValue, config: CrossFormerConfig): TokenMap {
  // A validated config has at least one patch kernel; the first one's size is the stride.
  const map = m.convolutions(input, indexed('patch_embed.projs', config.patch_size), config.patch_size, config.patch_size[0]!);
  return config.patch_norm ? { ...map, x: m.norm(map.x, 'patch_embed.norm') } : map;
}

/**
 * A CrossFormer block (pre-norm): x + attn(norm1(x)) over SDA / LDA groups with padded keys masked
 * (unless no_mask), then x + mlp(norm2(x)); with use_acl, every third block but a stage's last ends
 * with the amplitude cooling layer, LayerNorm(depth-wise 3x3 convolution(x)), no residual.
 */
export function crossFormerBlock(m: DynamicModel, config: CrossFormerConfig, map: TokenMap, stage: number, block: number): OnnxValue {
  const prefix = `layers.${stage}.blocks.${block}`;
  // A validated config: num_heads and depths have one entry per stage.
  const heads = config.num_heads[stage]!;
  const C = map.channels;
  const { grouping, key } = crossFormerGrouping(m, config, map, stage, block);
  const sources = m.sources(grouping, key);
  const mask = config.no_mask ? undefined : m.shared(`${key}:mask`, () => paddedKeyMask(m.rt, grouping, sources, PADDED_KEY_MASK_VALUE));
  const bias = dynamicPositionBias(m, prefix, grouping, key);
  const scale = config.qk_scale ?? (C / heads) ** -0.5;
  const windows = m.group(map, m.norm(map.x, `${prefix}.norm1`), sources);
  const moves = m.shared(`${key}:heads`, () => headMoves(m.rt, grouping.groupTokens, heads));
  const attn = groupedAttention(m.rt, windows, m.attentionProjections(`${prefix}.attn`, C, scale), heads, C, grouping, { kind: 'dot' }, bias, mask, moves);
  const x1 = m.rt.add(map.x, m.ungroup(attn, C, grouping, key));
  const x2 = m.rt.add(x1, m.mlp(m.norm(x1, `${prefix}.norm2`), `${prefix}.mlp`));
  if (!hasCoolingLayer(config, block, config.depths[stage]!)) return x2;
  const conv = m.convolutions(m.nchw(map, x2), [`${prefix}.ex_conv`], [3], 1, C);
  return m.norm(conv.x, `${prefix}.ex_ln`);
}

/** A cross-scale merge: LayerNorm, then stride-2 convolutions of every kernel on the NCHW map. */
export function crossFormerMerge(m: DynamicModel, config: CrossFormerConfig, map: TokenMap, stage: number): TokenMap {
  const prefix = `layers.${stage}.downsample`;
  // A validated config: merge_size has one kernel list per merge (stage < stages - 1).
  return m.convolutions(m.nchw(map, m.norm(map.x, `${prefix}.norm`)), indexed(`${prefix}.reductions`, config.merge_size[stage]!), config.merge_size[stage]!, 2);
}
