import { SHIFT_MASK_VALUE, WeightError, dimAt, type SwinV1Config, type SwinV2Config, type WindowRule } from '@swin/core';
import { attr } from '../onnx/onnx-attributes.js';
import { transposeLastTwo } from '../emit/weight-transforms.js';
import type { OnnxValue } from '../emit/onnx-graph-emitter.js';
import type { DynamicModel, TokenMap } from './dynamic-model.js';
import { groupedAttention, headMoves, type HeadMoves, type ScoreKind } from './grouped-attention.js';
import { gatherBias, offsetRows, relativeIndex } from './relative-position-bias.js';
import type { RuntimeInt } from './runtime-ints.js';
import { mergeSources, shiftRegionMask, tokenGrouping, windowAxis, type TokenGrouping } from './token-grouping.js';

/** Swin V2's continuous position bias amplitude: 16 sigmoid(mlp). */
const CPB_AMPLITUDE = 16;
/** F.normalize's eps in Swin V2's cosine attention (core's COSINE_NORMALIZE_EPS). */
const COSINE_EPS = 1e-12;

/**
 * A Swin block's windows at run time, under the config's window rule (core's resolveBlockGeometry):
 * official: window min(M, H, W), no shift when min(H, W) <= M; torchvision: window M always, the
 * shift zeroed on each axis the window covers (H <= M, W <= M).
 */
export interface SwinWindows {
  readonly grouping: TokenGrouping;
  /** The effective window (tokens per axis). */
  readonly window: RuntimeInt;
  readonly shifted: boolean;
  readonly key: string;
}

/** The windows of block `block` of stage `stage` on the map (shared by the stage's blocks of the same parity). */
export function swinWindows(m: DynamicModel, map: TokenMap, stage: number, block: number, window: number, rule: WindowRule): SwinWindows {
  const shifted = block % 2 === 1;
  const key = `swin:${stage}:${shifted ? 'shifted' : 'plain'}`;
  return m.shared(key, () => {
    const { ints } = m.rt;
    // The shift of an axis (or of both, official) that is kept when `side` is larger than the window.
    const shiftWhen = (side: RuntimeInt) => (shifted ? ints.select(ints.greater(side, window), Math.floor(window / 2), 0) : 0);
    if (rule === 'torchvision') {
      const grouping = tokenGrouping(m.rt, windowAxis(m.rt, map.height, window, shiftWhen(map.height)), windowAxis(m.rt, map.width, window, shiftWhen(map.width)));
      return { grouping, window, shifted, key };
    }
    const minSide = ints.min(map.height, map.width);
    const win = ints.min(window, minSide);
    const shift = shiftWhen(minSide);
    const grouping = tokenGrouping(m.rt, windowAxis(m.rt, map.height, win, shift), windowAxis(m.rt, map.width, win, shift));
    return { grouping, window: win, shifted, key };
  });
}

/** The shift mask of shifted windows (all zeros at run time when the rule drops the shift), once per stage. */
function windowMask(m: DynamicModel, w: SwinWindows): OnnxValue | undefined {
  return w.shifted ? m.shared(`${w.key}:mask`, () => shiftRegionMask(m.rt, w.grouping, SHIFT_MASK_VALUE)) : undefined;
}

/** Window attention of a Swin block on the (normalised for V1, raw for V2) tokens x: [B * H * W, C]. */
function windowedAttention(m: DynamicModel, map: TokenMap, x: OnnxValue, w: SwinWindows, heads: number, run: (windows: OnnxValue, moves: HeadMoves) => OnnxValue): OnnxValue {
  const windows = m.group(map, x, m.sources(w.grouping, w.key));
  const moves = m.shared(`${w.key}:heads`, () => headMoves(m.rt, w.grouping.groupTokens, heads));
  return m.ungroup(run(windows, moves), map.channels, w.grouping, w.key);
}

/** Side T of the square window a (2T-1)^2-row table was trained for. */
function tableWindow(rows: number, name: string, window: number): number {
  const side = Math.round(Math.sqrt(rows));
  const t = (side + 1) / 2;
  if (side * side !== rows || side % 2 === 0 || t < window) {
    throw new WeightError('WEIGHT_SHAPE_MISMATCH', name, `weight '${name}': expected (2M-1)^2 rows for a window M >= ${window}, found ${rows}`);
  }
  return t;
}

/** Swin's patch embedding on NCHW input with any H, W: zero-pad bottom/right to patch multiples, stride-p convolution, optional LayerNorm. */
export function swinPatchEmbedding(m: DynamicModel, input: OnnxValue, config: SwinV1Config | SwinV2Config): TokenMap {
  const { ints } = m.rt;
  const p = config.patch_size;
  const padOf = (size: RuntimeInt) => ints.mod(ints.sub(p, ints.mod(size, p)), p);
  const pads = m.rt.ints.vector([0, 0, 0, 0, 0, 0, padOf(ints.dim(input, 2)), padOf(ints.dim(input, 3))]);
  const padded = m.rt.op('Pad', [input, pads, m.rt.float(0)], 'float32', [attr.string('mode', 'constant')]);
  const map = m.convolutions(padded, ['patch_embed.proj'], [p], p);
  return config.patch_norm ? { ...map, x: m.norm(map.x, 'patch_embed.norm') } : map;
}

/** PatchMerging's 2x2 gather (odd maps zero-padded): [B * ceil(H/2) * ceil(W/2), 4C]. */
function mergeTokens(m: DynamicModel, map: TokenMap): TokenMap {
  const { ints } = m.rt;
  const index = mergeSources(m.rt, map.height, map.width);
  const merged = m.gatherRows(map.x, map.channels, index, true); // [B * H/2 * W/2 * 4, C]
  return { x: m.rt.reshape(merged, [-1, 4 * map.channels]), height: ints.ceilDiv(map.height, 2), width: ints.ceilDiv(map.width, 2), channels: 4 * map.channels };
}

/** Swin V1 block (pre-norm): x + attn(norm1(x)), then x + mlp(norm2(x)). */
export function swinV1Block(m: DynamicModel, config: SwinV1Config, map: TokenMap, stage: number, block: number): OnnxValue {
  const prefix = `layers.${stage}.blocks.${block}`;
  // A validated config: num_heads has one entry per stage.
  const heads = config.num_heads[stage]!;
  const C = map.channels;
  const w = swinWindows(m, map, stage, block, config.window_size, config.window_rule);
  const tableName = `${prefix}.attn.relative_position_bias_table`;
  const table = m.tensor(tableName);
  const T = tableWindow(dimAt(table.shape, 0, tableName), tableName, config.window_size);
  const tableByHead = m.em.initializer(`${tableName}/by_head`, transposeLastTwo(table));
  const index = m.shared(`${w.key}:index:${T}`, () => relativeIndex(m.rt, w.window, w.window, T, T));
  const bias = gatherBias(m.rt, tableByHead, index);
  const scale = config.qk_scale ?? (C / heads) ** -0.5;
  const attn = windowedAttention(m, map, m.norm(map.x, `${prefix}.norm1`), w, heads, (windows, moves) =>
    groupedAttention(m.rt, windows, m.attentionProjections(`${prefix}.attn`, C, scale), heads, C, w.grouping, { kind: 'dot' }, bias, windowMask(m, w), moves),
  );
  const x1 = m.rt.add(map.x, attn);
  return m.rt.add(x1, m.mlp(m.norm(x1, `${prefix}.norm2`), `${prefix}.mlp`));
}

/** Swin V1 PatchMerging: gather, LayerNorm, Linear to 2C. */
export function swinV1Merge(m: DynamicModel, map: TokenMap, stage: number): TokenMap {
  const prefix = `layers.${stage}.downsample`;
  const merged = mergeTokens(m, map);
  return { ...merged, x: m.linear(m.norm(merged.x, `${prefix}.norm`), `${prefix}.reduction`), channels: 2 * map.channels };
}

/**
 * Swin V2's position bias for window `win` (known at run time): 16 sigmoid(cpb_mlp(log-spaced
 * coordinates)), coordinates normalised by the pretrained window when set, else by the window.
 */
function continuousPositionBias(m: DynamicModel, prefix: string, win: RuntimeInt, pretrainedWindow: number, key: string): OnnxValue {
  const { rt } = m;
  const divisor = rt.cast(rt.ints.value(rt.ints.max(pretrainedWindow > 0 ? pretrainedWindow - 1 : rt.ints.sub(win, 1), 1)), 'float32');
  const squash = (d: OnnxValue) => {
    // sign(t) log2(|t| + 1) / log2(8), t = 8 d / divisor (a window of 1 has the one offset 0)
    const t = rt.mul(rt.div(d, divisor), rt.float(8));
    const log2 = rt.div(rt.op('Log', [rt.add(rt.op('Abs', [t]), rt.float(1))]), rt.float(Math.LN2));
    return rt.div(rt.mul(rt.op('Sign', [t]), log2), rt.float(3));
  };
  const coords = m.shared(`${key}:coords:${pretrainedWindow}`, () => offsetRows(rt, win, win, squash));
  const hidden = rt.op('Relu', [m.linear(coords, `${prefix}.attn.cpb_mlp.0`)]);
  const table = m.linear(hidden, `${prefix}.attn.cpb_mlp.2`); // [(2w-1)^2, nH]
  const squashed = rt.mul(rt.op('Sigmoid', [table]), rt.float(CPB_AMPLITUDE));
  const index = m.shared(`${key}:index:own`, () => relativeIndex(rt, win, win, win, win));
  return gatherBias(rt, rt.transpose(squashed, [1, 0]), index);
}

/** Swin V2 block (post-norm): x + norm1(attn(x)), then x + norm2(mlp(x)); cosine attention. */
export function swinV2Block(m: DynamicModel, config: SwinV2Config, map: TokenMap, stage: number, block: number): OnnxValue {
  const prefix = `layers.${stage}.blocks.${block}`;
  // A validated config: num_heads and pretrained_window_sizes have one entry per stage.
  const heads = config.num_heads[stage]!;
  const C = map.channels;
  const w = swinWindows(m, map, stage, block, config.window_size, config.window_rule);
  const bias = continuousPositionBias(m, prefix, w.window, config.pretrained_window_sizes[stage]!, w.key);
  // exp(min(logit_scale, ln 100)) per head, as core's builder computed it (the raw parameter is not in the graph)
  const headScale = m.em.initializer(`${prefix}.attn/head_scale`, { ...m.tensor(`${prefix}/head_scale`), shape: [heads, 1, 1] });
  const scores: ScoreKind = { kind: 'cosine', headScale, eps: COSINE_EPS };
  const biases = config.qkv_bias ? [m.tensor(`${prefix}.attn.q_bias`), undefined, m.tensor(`${prefix}.attn.v_bias`)] : [undefined, undefined, undefined];
  const attn = windowedAttention(m, map, map.x, w, heads, (windows, moves) =>
    groupedAttention(m.rt, windows, m.attentionProjections(`${prefix}.attn`, C, 1, biases), heads, C, w.grouping, scores, bias, windowMask(m, w), moves),
  );
  const x1 = m.rt.add(map.x, m.norm(attn, `${prefix}.norm1`));
  return m.rt.add(x1, m.norm(m.mlp(x1, `${prefix}.mlp`), `${prefix}.norm2`));
}

/** Swin V2 PatchMerging: gather, Linear to 2C, LayerNorm. */
export function swinV2Merge(m: DynamicModel, map: TokenMap, stage: number): TokenMap {
  const prefix = `layers.${stage}.downsample`;
  const merged = mergeTokens(m, map);
  return { ...merged, x: m.norm(m.linear(merged.x, `${prefix}.reduction`), `${prefix}.norm`), channels: 2 * map.channels };
}
