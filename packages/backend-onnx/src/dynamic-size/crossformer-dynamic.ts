import { PADDED_KEY_MASK_VALUE, type CrossFormerConfig } from '@swin/core';
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
 * AxisGroupings, chosen per field by one runtime condition.
 */
function ldaOrSdaAxis(m: DynamicModel, size: RuntimeInt, group: number, interval: number, lda: boolean | OnnxValue, sdaWindow: RuntimeInt): AxisGrouping {
  const { ints } = m.rt;
  const sda = windowAxis(m.rt, size, sdaWindow, 0);
  const span = group * interval;
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
 * A block's grouping at run time, as core's resolveGroupGeometry: even blocks SDA with G, odd
 * blocks LDA with the interval I in regions of G * I; when min(H, W) <= G, SDA with G = min(H, W).
 */
function crossFormerGrouping(m: DynamicModel, config: CrossFormerConfig, map: TokenMap, stage: number, block: number): { grouping: TokenGrouping; key: string } {
  const key = `crossformer:${stage}:${block % 2 === 1 ? 'lda' : 'sda'}`;
  return m.shared(key, () => {
    const { ints } = m.rt;
    const G = config.group_size[stage]!;
    const minSide = ints.min(map.height, map.width);
    const window = ints.min(G, minSide);
    if (block % 2 === 0) return { grouping: tokenGrouping(m.rt, windowAxis(m.rt, map.height, window, 0), windowAxis(m.rt, map.width, window, 0)), key };
    const I = config.crs_interval[stage]!;
    const lda = ints.greater(minSide, G);
    return { grouping: tokenGrouping(m.rt, ldaOrSdaAxis(m, map.height, G, I, lda, window), ldaOrSdaAxis(m, map.width, G, I, lda, window)), key };
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
  const map = m.convolutions(input, indexed('patch_embed.projs', config.patch_size), config.patch_size, config.patch_size[0]!);
  return config.patch_norm ? { ...map, x: m.norm(map.x, 'patch_embed.norm') } : map;
}

/** A CrossFormer block (pre-norm): x + attn(norm1(x)) over SDA / LDA groups with padded keys masked, then x + mlp(norm2(x)). */
export function crossFormerBlock(m: DynamicModel, config: CrossFormerConfig, map: TokenMap, stage: number, block: number): OnnxValue {
  const prefix = `layers.${stage}.blocks.${block}`;
  const heads = config.num_heads[stage]!;
  const C = map.channels;
  const { grouping, key } = crossFormerGrouping(m, config, map, stage, block);
  const sources = m.sources(grouping, key);
  const mask = m.shared(`${key}:mask`, () => paddedKeyMask(m.rt, grouping, sources, PADDED_KEY_MASK_VALUE));
  const bias = dynamicPositionBias(m, prefix, grouping, key);
  const scale = config.qk_scale ?? (C / heads) ** -0.5;
  const windows = m.group(map, m.norm(map.x, `${prefix}.norm1`), sources);
  const moves = m.shared(`${key}:heads`, () => headMoves(m.rt, grouping.groupTokens, heads));
  const attn = groupedAttention(m.rt, windows, m.attentionProjections(`${prefix}.attn`, C, scale), heads, C, grouping, { kind: 'dot' }, bias, mask, moves);
  const x1 = m.rt.add(map.x, m.ungroup(attn, C, grouping, key));
  return m.rt.add(x1, m.mlp(m.norm(x1, `${prefix}.norm2`), `${prefix}.mlp`));
}

/** A cross-scale merge: LayerNorm, then stride-2 convolutions of every kernel on the NCHW map. */
export function crossFormerMerge(m: DynamicModel, config: CrossFormerConfig, map: TokenMap, stage: number): TokenMap {
  const prefix = `layers.${stage}.downsample`;
  return m.convolutions(m.nchw(map, m.norm(map.x, `${prefix}.norm`)), indexed(`${prefix}.reductions`, config.merge_size[stage]!), config.merge_size[stage]!, 2);
}
