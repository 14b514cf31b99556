import type { Value } from '../../graph/graph-builder.js';
import { emitStages } from '../common/hierarchical-stages.js';
import { ModelGraph } from '../common/model-graph.js';
import { relativePositionIndex } from '../common/relative-position-index.js';
import type { BuildModelOptions, FamilyModel } from '../model-family.js';
import type { WeightMap } from '../weight-map.js';
import { ConfigError } from '../../errors.js';
import { allocateFloat32 } from '../../memory/allocation-budget.js';
import { dimAt, dimsOf } from '../../tensor/shape-dims.js';
import { float32 } from '../../tensor/tensor.js';
import {
  crossFormerImageSize,
  crossScaleConvolutions,
  hasCoolingLayer,
  patchStride,
  positionBiasWidth,
  stageMlpRatio,
  validateCrossFormerConfig,
  type CrossFormerConfig,
} from './crossformer-config.js';
import { stageRowsAtImageSize } from './crossformer-weight-shapes.js';
import { resolveGroupGeometry, type CrossFormerBlockGeometry } from './group-geometry.js';
import { blockGroupSizes } from './group-sizes.js';
import { groupTokens, ungroupTokens } from './group-tokens.js';
import { paddedKeyMask } from './padded-key-mask.js';
import { relativeOffsets } from './relative-offsets.js';

/** A built CrossFormer: the graph plus what was resolved while building it. */
export type CrossFormerModel = FamilyModel<CrossFormerConfig, CrossFormerBlockGeometry>;

/**
 * Builds the CrossFormer / CrossFormer++ graph in the official semantics: a cross-scale embedding
 * (convolutions of several kernels, one stride, concatenated on channels, then LayerNorm), stages of
 * pre-norm blocks alternating short (SDA) and long (LDA) distance attention with a dynamic position
 * bias (or, use_cpe, a conditional position encoding), optional amplitude cooling layers (use_acl),
 * cross-scale merges (LayerNorm, then stride-2 convolutions), final norm, token mean, head. Maps that
 * do not divide are padded (pad_type) and the padded keys masked with -1e6 (unless no_mask). The
 * position-bias MLPs, their gathers and the masks are ops over constants, evaluated once by
 * constant folding. CPE and ACL are depth-wise convolutions: conv2d with groups, no new op.
 */
export function buildCrossFormerGraph(configIn: CrossFormerConfig, weights: WeightMap, options: BuildModelOptions = {}): CrossFormerModel {
  const config = validateCrossFormerConfig(configIn);
  const m = new ModelGraph(config, weights, options, crossFormerImageSize(config));
  const { b, w, outputs, input } = m;
  const C0 = config.embed_dim;
  const groupSizes = blockGroupSizes(config);
  const rules = { adaptiveInterval: config.adaptive_interval, padType: config.pad_type, noMask: config.no_mask };

  const embedded: Value = b.scope('patch_embed', () => {
    const t = crossScaleConvs(input, 'patch_embed.projs', config.patch_size, patchStride(config), config.in_chans, C0);
    return config.patch_norm ? w.norm(t, 'patch_embed.norm', C0, 'embed') : b.reshape(t, [-1, ...t.shape.slice(1)], 'embed');
  });
  outputs.expose('embed', embedded);

  const { x, blocks } = emitStages<CrossFormerBlockGeometry>(m, embedded, {
    startStage: checkCpeRows,
    geometry: (si, bj, stageInput) => {
      const [, H, W] = dimsOf(stageInput.shape, 4, `stage ${si} input [B, H, W, C]`);
      // Validated config: crs_interval has one entry per stage; blockGroupSizes one list per stage of one entry per block.
      return resolveGroupGeometry(si, bj, H, W, groupSizes[si]![bj]!, config.crs_interval[si]!, rules);
    },
    block: crossFormerBlock,
    // Cross-scale merging: LayerNorm, then stride-2 convolutions of several kernels.
    downsample: (xIn, prefix, si, dim, outName) => {
      const normed = w.norm(xIn, `${prefix}.norm`, dim);
      // Validated config: merge_size has one entry per merge, and only stages before the last merge.
      const merged = crossScaleConvs(b.transpose(normed, [0, 3, 1, 2]), `${prefix}.reductions`, config.merge_size[si]!, 2, dim, 2 * dim);
      return b.reshape(merged, [-1, ...merged.shape.slice(1)], outName);
    },
  });
  return m.finish(x, blocks);

  /** CPE's convolutions have one channel per token row at img_size: a stage given another row count cannot run. */
  function checkCpeRows(si: number, stageInput: Value): void {
    const H = dimAt(stageInput.shape, 1, `stage ${si} input [B, H, W, C]`);
    if (config.use_cpe && H !== stageRowsAtImageSize(config, si)) {
      throw new ConfigError(
        `use_cpe: stage ${si}'s position-encoding convolutions have one channel per token row of the ${stageRowsAtImageSize(config, si)}-row map at img_size ${JSON.stringify(config.img_size)}, but this input gives ${H} rows; use an input of ${crossFormerImageSize(config)[0]} pixel rows (any width)`,
      );
    }
  }

  /**
   * A cross-scale embedding layer on NCHW input: one convolution per kernel k with the given stride
   * and padding (k - stride) / 2, so all produce the same map; concatenated on channels; as NHWC.
   */
  function crossScaleConvs(img: Value, prefix: string, kernels: readonly number[], stride: number, inChannels: number, total: number): Value {
    const maps = crossScaleConvolutions(total, kernels).map(({ kernel: k, channels }, i) => {
      const pad = (k - stride) / 2;
      return b.conv2d(img, w.weight(`${prefix}.${i}.weight`, [channels, inChannels, k, k]), w.maybe(`${prefix}.${i}.bias`, [channels]), {
        strides: [stride, stride],
        pads: [pad, pad, pad, pad],
      });
    });
    // maps[0] exists: the length was just compared with 1.
    const cat = maps.length === 1 ? maps[0]! : b.concat(maps, 1, 'cross_scale');
    return b.transpose(cat, [0, 2, 3, 1]);
  }

  /** A depth-wise 3x3 convolution (padding 1, bias) of an NCHW value with `channels` channels. */
  function depthwise3x3(t: Value, name: string, channels: number): Value {
    return b.conv2d(t, w.weight(`${name}.weight`, [channels, 1, 3, 3]), w.weight(`${name}.bias`, [channels]), { strides: [1, 1], pads: [1, 1, 1, 1], groups: channels });
  }

  function crossFormerBlock(xIn: Value, prefix: string, geo: CrossFormerBlockGeometry, dim: number, heads: number, outName: string): Value {
    const { height: H, width: W, paddedHeight: Hp, paddedWidth: Wp, padTop, padLeft } = geo;
    const hidden = Math.floor(dim * stageMlpRatio(config, geo.stage));
    // Validated config: depths has an entry for every stage a block is built in.
    const cooling = hasCoolingLayer(config, geo.block, config.depths[geo.stage]!);
    let t = w.norm(xIn, `${prefix}.norm1`, dim);
    // CPE as the official code applies it: the [B, H, W, C] map read as NCHW (channels = rows).
    if (config.use_cpe) t = b.add(t, w.norm(depthwise3x3(t, `${prefix}.cpe`, H), `${prefix}.norm_cpe`, dim), 'cpe');
    if (Hp !== H || Wp !== W) t = b.pad(t, [0, padTop, padLeft, 0, 0, Hp - H - padTop, Wp - W - padLeft, 0]);
    const groups = groupTokens(b, t, geo);
    const scale = config.qk_scale ?? (dim / heads) ** -0.5;
    const attn = b.op(
      'windowAttention',
      [
        groups,
        w.weight(`${prefix}.attn.qkv.weight`, [3 * dim, dim]),
        config.qkv_bias ? w.weight(`${prefix}.attn.qkv.bias`, [3 * dim]) : undefined,
        w.weight(`${prefix}.attn.proj.weight`, [dim, dim]),
        w.maybe(`${prefix}.attn.proj.bias`, [dim]),
        attentionBias(prefix, geo, dim, heads),
      ],
      { numHeads: heads, scale },
    );
    let y = ungroupTokens(b, attn, geo);
    if (Hp !== H || Wp !== W) y = b.slice(y, { starts: [padTop, padLeft], ends: [padTop + H, padLeft + W], axes: [1, 2] }, 'crop');
    const x1 = b.add(xIn, y, 'attn_residual');
    const h = b.gelu(w.linear(w.norm(x1, `${prefix}.norm2`, dim), `${prefix}.mlp.fc1`, hidden, dim));
    const x2 = b.add(x1, w.linear(h, `${prefix}.mlp.fc2`, dim, hidden), cooling ? 'mlp_residual' : outName);
    if (!cooling) return x2;
    // Amplitude cooling layer: replaces x (no residual) by LayerNorm(depth-wise conv(x)).
    const conv = depthwise3x3(b.transpose(x2, [0, 3, 1, 2]), `${prefix}.ex_conv`, dim);
    return w.norm(b.transpose(conv, [0, 2, 3, 1]), `${prefix}.ex_ln`, dim, outName);
  }

  /**
   * Dynamic position bias for the group shape, [1, nH, N, N] (plus the padded-key mask, [nG, nH, N, N]):
   * the MLP pos_proj, then (LayerNorm, ReLU, Linear) x 3, over every relative offset, gathered by the
   * relative position index. With use_cpe there is no position bias: zeros (or the mask alone).
   * Ops over constants, folded at compile.
   */
  function attentionBias(prefix: string, geo: CrossFormerBlockGeometry, dim: number, heads: number): Value {
    const pre = `${prefix}.attn.pos`;
    const d = positionBiasWidth(dim);
    const { groupHeight: gh, groupWidth: gw } = geo;
    const N = gh * gw;
    const mask = paddedKeyMask(geo);
    if (config.use_cpe) {
      // windowAttention takes a per-head bias: zeros, plus the mask when there is one.
      const none = b.literal('no_position_bias', float32([1, heads, N, N], allocateFloat32(heads * N * N, `zero attention bias [1,${heads},${N},${N}]`)));
      return mask ? b.add(none, b.literal('padded_key_mask', mask), 'mask') : none;
    }
    let pos = w.linear(b.literal('relative_offsets', relativeOffsets(gh, gw)), `${pre}.pos_proj`, d, 2);
    for (const [layer, out] of [['pos1', d], ['pos2', d], ['pos3', heads]] as const) {
      pos = w.linear(b.relu(w.norm(pos, `${pre}.${layer}.0`, d)), `${pre}.${layer}.2`, out, d);
    }
    let bias = b.gather(pos, b.literal('relative_position_index', relativePositionIndex(gh, gw)), 0); // [N*N, nH]
    bias = b.reshape(b.transpose(b.reshape(bias, [N, N, heads]), [2, 0, 1]), [1, heads, N, N]);
    return mask ? b.add(bias, b.literal('padded_key_mask', mask), 'bias_and_mask') : bias;
  }
}
