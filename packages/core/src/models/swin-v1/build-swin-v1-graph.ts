import { WeightError } from '../../errors.js';
import type { Value } from '../../graph/graph-builder.js';
import { ModelGraph } from '../common/model-graph.js';
import { emitPatchEmbedding } from '../common/patch-embedding.js';
import { relativePositionIndex } from '../common/relative-position-index.js';
import { shiftWindowMask } from '../common/shift-window-mask.js';
import { resolveBlockGeometry, stageResolutions, type BlockGeometry } from '../common/stage-geometry.js';
import type { BuildModelOptions, FamilyModel } from '../model-family.js';
import type { WeightMap } from '../weight-map.js';
import { swinV1ImageSize, validateSwinV1Config, type SwinV1Config } from './swin-v1-config.js';

/** A built Swin V1 model: the graph plus what was resolved while building it. */
export type SwinV1Model = FamilyModel<SwinV1Config, BlockGeometry>;

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
export function buildSwinV1Graph(configIn: SwinV1Config, weights: WeightMap, options: BuildModelOptions = {}): SwinV1Model {
  const config = validateSwinV1Config(configIn);
  const m = new ModelGraph(config, weights, options, swinV1ImageSize(config));
  const { b, w, reader, outputs } = m;
  const [imgH, imgW] = m.inputSize;
  const C0 = config.embed_dim;
  const resolutions = stageResolutions(imgH, imgW, config.patch_size, config.depths.length);
  const blocks: BlockGeometry[] = [];
  let x = emitPatchEmbedding(b, w, reader, m.input, config, resolutions[0]!, 'run at the training size or resize the embedding (swin convert)');
  outputs.expose('embed', x);

  config.depths.forEach((depth, si) => {
    const dim = C0 * 2 ** si;
    const heads = config.num_heads[si]!;
    const [H, W] = resolutions[si]!;
    for (let bj = 0; bj < depth; bj++) {
      const prefix = `layers.${si}.blocks.${bj}`;
      const geo = resolveBlockGeometry(si, bj, H, W, config.window_size);
      blocks.push(geo);
      x = b.scope(prefix, () => swinBlock(x, prefix, geo, dim, heads, `stage${si}_block${bj}`));
      outputs.expose(`stage${si}_block${bj}`, x);
    }
    outputs.expose(`stage${si}`, x);
    if (si < config.depths.length - 1) {
      const prefix = `layers.${si}.downsample`;
      x = b.scope(prefix, () => {
        const merged = b.op('patchMerging', [x], {});
        return w.linear(w.norm(merged, `${prefix}.norm`, 4 * dim), `${prefix}.reduction`, 2 * dim, 4 * dim, `stage${si}_out`);
      });
    }
    outputs.expose(`stage${si}_out`, x);
  });

  return m.finish(x, blocks);

  function swinBlock(xIn: Value, prefix: string, geo: BlockGeometry, dim: number, heads: number, outName: string): Value {
    const { window: M, shift: s, height: H, width: W, paddedHeight: Hp, paddedWidth: Wp } = geo;
    const hidden = Math.round(dim * config.mlp_ratio);
    let t = w.norm(xIn, `${prefix}.norm1`, dim);
    if (Hp !== H || Wp !== W) t = b.pad(t, [0, 0, 0, 0, 0, Hp - H, Wp - W, 0]);
    const windows = b.op('windowPartition', [t], { window: [M, M], shift: [s, s] });
    const attnBias = relativeBias(prefix, geo, heads);
    const qkvW = w.weight(`${prefix}.attn.qkv.weight`, [3 * dim, dim]);
    const qkvB = config.qkv_bias ? w.weight(`${prefix}.attn.qkv.bias`, [3 * dim]) : undefined;
    const projW = w.weight(`${prefix}.attn.proj.weight`, [dim, dim]);
    const projB = w.maybe(`${prefix}.attn.proj.bias`, [dim]);
    const scale = config.qk_scale ?? (dim / heads) ** -0.5;
    const attn = b.op('windowAttention', [windows, qkvW, qkvB, projW, projB, attnBias], { numHeads: heads, scale });
    let y = b.op('windowReverse', [attn], { window: [M, M], shift: [s, s], height: Hp, width: Wp });
    if (Hp !== H || Wp !== W) y = b.slice(y, { starts: [0, 0], ends: [H, W], axes: [1, 2] }, 'crop');
    const x1 = b.add(xIn, y, 'attn_residual');
    const h1 = b.gelu(w.linear(w.norm(x1, `${prefix}.norm2`, dim), `${prefix}.mlp.fc1`, hidden, dim));
    return b.add(x1, w.linear(h1, `${prefix}.mlp.fc2`, dim, hidden), outName);
  }

  /** Relative position bias [1|nW, nH, N, N] plus the shift mask, as ops over constants (folded later). */
  function relativeBias(prefix: string, geo: BlockGeometry, heads: number): Value {
    const M = geo.window;
    const name = `${prefix}.attn.relative_position_bias_table`;
    const table = reader.take(name, [null, heads]);
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
