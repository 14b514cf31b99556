import { ShapeError, WeightError } from '../../errors.js';
import { GraphBuilder, type Value } from '../../graph/graph-builder.js';
import type { Graph } from '../../graph/graph.js';
import { WeightReader, type WeightMap } from '../weight-map.js';
import { relativePositionIndex } from './relative-position-index.js';
import { shiftWindowMask } from './shift-window-mask.js';
import { imageSize, validateSwinConfig, type SwinV1Config } from './swin-config.js';
import { resolveSwinOutputs, type SwinOutputSpec } from './swin-outputs.js';
import { resolveBlockGeometry, stageResolutions, type BlockGeometry } from './stage-geometry.js';

/** How to build: input size (default the config's img_size), nominal batch, outputs. */
export interface BuildSwinOptions {
  readonly inputSize?: readonly [number, number];
  readonly batch?: number;
  readonly outputs?: SwinOutputSpec;
}

/** A built model: the graph plus what was resolved while building it. */
export interface SwinModel {
  readonly graph: Graph;
  readonly config: SwinV1Config;
  readonly inputSize: [number, number];
  readonly blocks: readonly BlockGeometry[];
  readonly parameterCount: number;
  /** Weights the graph did not use (derived buffers excluded): usually a sign of a wrong config. */
  readonly unusedWeights: readonly string[];
}

/** Name of the graph input: NCHW float32 pixels. */
export const SWIN_INPUT = 'input';

/** Side of the square window a (2T-1)^2-row bias table was trained for. */
function tableWindow(rows: number, name: string): number {
  const side = Math.round(Math.sqrt(rows));
  if (side * side !== rows || side % 2 === 0) {
    throw new WeightError('WEIGHT_SHAPE_MISMATCH', name, `weight '${name}': expected (2M-1)^2 rows for a window M, found ${rows}`);
  }
  return (side + 1) / 2;
}

/**
 * Builds the Swin V1 graph in the official semantics (see DESIGN.md): patch embed, optional absolute
 * position embedding and patch norm, stages of W-MSA / SW-MSA blocks with PatchMerging between them,
 * final norm, token mean, head. Constants that only depend on weights and input size (bias tables
 * gathered by relative position, shift masks) are emitted as ops over constants for the folding pass.
 */
export function buildSwinGraph(configIn: SwinV1Config, weights: WeightMap, options: BuildSwinOptions = {}): SwinModel {
  const config = validateSwinConfig(configIn);
  const w = new WeightReader(weights);
  const [imgH, imgW] = options.inputSize ?? imageSize(config);
  const batch = options.batch ?? 1;
  const hasHead = config.num_classes > 0;
  const wanted = new Set(resolveSwinOutputs(options.outputs ?? 'logits', config.depths, hasHead));
  const b = new GraphBuilder(true);
  b.setMetadata('family', config.family);
  b.setMetadata('config', JSON.stringify(config));
  b.setMetadata('inputSize', JSON.stringify([imgH, imgW]));
  const eps = config.layer_norm_eps;
  const p = config.patch_size;
  const C0 = config.embed_dim;
  const resolutions = stageResolutions(imgH, imgW, p, config.depths.length);
  const blocks: BlockGeometry[] = [];
  const outputs = new Map<string, Value>();
  const expose = (name: string, v: Value) => outputs.set(name, v);
  const weight = (name: string, shape: readonly (number | null)[]) => b.constant(name, w.take(name, shape));
  const maybeWeight = (name: string, shape: readonly (number | null)[]) => {
    const t = w.maybe(name, shape);
    return t ? b.constant(name, t) : undefined;
  };
  const norm = (x: Value, prefix: string, dim: number, name?: string) =>
    b.layerNorm(x, weight(`${prefix}.weight`, [dim]), weight(`${prefix}.bias`, [dim]), eps, name);
  const linear = (x: Value, prefix: string, out: number, inp: number, name?: string) =>
    b.linear(x, weight(`${prefix}.weight`, [out, inp]), maybeWeight(`${prefix}.bias`, [out]), name);

  const input = b.input(SWIN_INPUT, 'float32', [batch, config.in_chans, imgH, imgW]);

  // Patch embed: a stride-p convolution; sizes that are not patch multiples are zero-padded
  // bottom/right first, as Hugging Face does (the official code requires multiples).
  let x: Value = b.scope('patch_embed', () => {
    let img = input;
    const padH = (p - (imgH % p)) % p;
    const padW = (p - (imgW % p)) % p;
    if (padH || padW) img = b.pad(img, [0, 0, 0, 0, 0, 0, padH, padW]);
    const conv = b.conv2d(img, weight('patch_embed.proj.weight', [C0, config.in_chans, p, p]), maybeWeight('patch_embed.proj.bias', [C0]), {
      strides: [p, p],
      pads: [0, 0, 0, 0],
    });
    let t = b.transpose(conv, [0, 2, 3, 1]); // NCHW -> NHWC tokens
    if (config.patch_norm) t = norm(t, 'patch_embed.norm', C0);
    return t;
  });
  if (config.ape) {
    const [h0, w0] = resolutions[0]!;
    const pos = w.take('absolute_pos_embed', [1, null, C0]);
    if (pos.shape[1] !== h0 * w0) {
      throw new ShapeError(
        `absolute_pos_embed has ${pos.shape[1]} positions, the ${imgH}x${imgW} input makes ${h0}x${w0} = ${h0 * w0} tokens: run at the training size or resize the embedding (swin convert)`,
      );
    }
    x = b.add(x, b.constant('absolute_pos_embed', { ...pos, shape: [1, h0, w0, C0] }), 'embed');
  } else {
    x = b.reshape(x, [-1, ...x.shape.slice(1)], 'embed');
  }
  expose('embed', x);

  config.depths.forEach((depth, si) => {
    const dim = C0 * 2 ** si;
    const heads = config.num_heads[si]!;
    const [H, W] = resolutions[si]!;
    for (let bj = 0; bj < depth; bj++) {
      const prefix = `layers.${si}.blocks.${bj}`;
      const geo = resolveBlockGeometry(si, bj, H, W, config.window_size);
      blocks.push(geo);
      x = b.scope(prefix, () => swinBlock(x, prefix, geo, dim, heads, `stage${si}_block${bj}`));
      expose(`stage${si}_block${bj}`, x);
    }
    expose(`stage${si}`, x);
    if (si < config.depths.length - 1) {
      const prefix = `layers.${si}.downsample`;
      x = b.scope(prefix, () => {
        const merged = b.op('patchMerging', [x], {});
        return linear(norm(merged, `${prefix}.norm`, 4 * dim), `${prefix}.reduction`, 2 * dim, 4 * dim, `stage${si}_out`);
      });
    }
    expose(`stage${si}_out`, x);
  });

  const numFeatures = C0 * 2 ** (config.depths.length - 1);
  x = norm(x, 'norm', numFeatures, 'norm_out');
  expose('norm_out', x);
  const pooled = b.reduceMean(x, [1, 2], false, 'pooled');
  expose('pooled', pooled);
  if (hasHead) expose('logits', linear(pooled, 'head', config.num_classes, numFeatures, 'logits'));

  for (const name of wanted) {
    const v = outputs.get(name)!;
    // Several names can denote one value (stage{i} is that stage's last block); alias with a free reshape.
    b.output(v.name === name ? v : b.op('reshape', [v], { shape: [-1, ...v.shape.slice(1)] }, name, true));
  }
  b.setMetadata('blocks', JSON.stringify(blocks));
  return {
    graph: b.build(),
    config,
    inputSize: [imgH, imgW],
    blocks,
    parameterCount: w.parameterCount(),
    unusedWeights: w.unused(),
  };

  function swinBlock(xIn: Value, prefix: string, geo: BlockGeometry, dim: number, heads: number, outName: string): Value {
    const { window: M, shift: s, height: H, width: W, paddedHeight: Hp, paddedWidth: Wp } = geo;
    const hidden = Math.round(dim * config.mlp_ratio);
    let t = norm(xIn, `${prefix}.norm1`, dim);
    if (Hp !== H || Wp !== W) t = b.pad(t, [0, 0, 0, 0, 0, Hp - H, Wp - W, 0]);
    const windows = b.op('windowPartition', [t], { window: [M, M], shift: [s, s] });
    const attnBias = relativeBias(prefix, geo, heads);
    const qkvW = weight(`${prefix}.attn.qkv.weight`, [3 * dim, dim]);
    const qkvB = config.qkv_bias ? weight(`${prefix}.attn.qkv.bias`, [3 * dim]) : undefined;
    const projW = weight(`${prefix}.attn.proj.weight`, [dim, dim]);
    const projB = maybeWeight(`${prefix}.attn.proj.bias`, [dim]);
    const scale = config.qk_scale ?? (dim / heads) ** -0.5;
    const attn = b.op('windowAttention', [windows, qkvW, qkvB, projW, projB, attnBias], { numHeads: heads, scale });
    let y = b.op('windowReverse', [attn], { window: [M, M], shift: [s, s], height: Hp, width: Wp });
    if (Hp !== H || Wp !== W) y = b.slice(y, { starts: [0, 0], ends: [H, W], axes: [1, 2] }, 'crop');
    const x1 = b.add(xIn, y, 'attn_residual');
    const h1 = b.gelu(linear(norm(x1, `${prefix}.norm2`, dim), `${prefix}.mlp.fc1`, hidden, dim));
    return b.add(x1, linear(h1, `${prefix}.mlp.fc2`, dim, hidden), outName);
  }

  /** Relative position bias [1|nW, nH, N, N] plus the shift mask, as ops over constants (folded later). */
  function relativeBias(prefix: string, geo: BlockGeometry, heads: number): Value {
    const M = geo.window;
    const name = `${prefix}.attn.relative_position_bias_table`;
    const table = w.take(name, [null, heads]);
    const T = tableWindow(table.shape[0]!, name);
    if (T < M) {
      throw new WeightError(
        'WEIGHT_SHAPE_MISMATCH',
        name,
        `weight '${name}' covers a window of ${T}, but stage ${geo.stage} (${geo.height}x${geo.width}) needs window ${M}: run at the training size or resize the table (swin convert --window ${M})`,
      );
    }
    const N = M * M;
    const tableV = b.constant(name, table);
    const index = b.literal('relative_position_index', relativePositionIndex(M, M, [T, T]));
    let bias = b.gather(tableV, index, 0); // [N*N, nH]
    bias = b.transpose(b.reshape(bias, [N, N, heads]), [2, 0, 1]);
    bias = b.reshape(bias, [1, heads, N, N]);
    if (geo.shift > 0) {
      const mask = b.literal('shift_mask', shiftWindowMask(geo.paddedHeight, geo.paddedWidth, [M, M], [geo.shift, geo.shift]));
      bias = b.add(bias, mask, 'bias_and_mask'); // [nW, nH, N, N]
    }
    return bias;
  }
}
