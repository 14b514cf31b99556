import { WeightError } from '../../errors.js';
import type { Value } from '../../graph/graph-builder.js';
import { ModelGraph } from '../common/model-graph.js';
import { emitSwinEmbedding } from '../common/patch-embedding.js';
import { emitStages } from '../common/hierarchical-stages.js';
import { attendInWindows, relativeWindowBias } from '../common/shifted-windows.js';
import { resolveBlockGeometry, type BlockGeometry } from '../common/stage-geometry.js';
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
  const { b, w, reader } = m;
  const { embedded, resolutions } = emitSwinEmbedding(m, 'run at the training size or resize the embedding (swin convert)');
  const { x, blocks } = emitStages(m, embedded, {
    // stageResolutions returns one size per stage.
    geometry: (si, bj) => resolveBlockGeometry(si, bj, ...resolutions[si]!, config.window_size, config.window_rule),
    block: swinBlock,
    downsample: (xIn, prefix, _si, dim, outName) =>
      w.linear(w.norm(b.op('patchMerging', [xIn], {}), `${prefix}.norm`, 4 * dim), `${prefix}.reduction`, 2 * dim, 4 * dim, outName),
  });
  return m.finish(x, blocks);

  function swinBlock(xIn: Value, prefix: string, geo: BlockGeometry, dim: number, heads: number, outName: string): Value {
    const hidden = Math.round(dim * config.mlp_ratio);
    const y = attendInWindows(b, w.norm(xIn, `${prefix}.norm1`, dim), geo, (windows) => {
      const attnBias = relativeBias(prefix, geo, heads);
      const qkvW = w.weight(`${prefix}.attn.qkv.weight`, [3 * dim, dim]);
      const qkvB = config.qkv_bias ? w.weight(`${prefix}.attn.qkv.bias`, [3 * dim]) : undefined;
      const projW = w.weight(`${prefix}.attn.proj.weight`, [dim, dim]);
      const projB = w.maybe(`${prefix}.attn.proj.bias`, [dim]);
      const scale = config.qk_scale ?? (dim / heads) ** -0.5;
      return b.op('windowAttention', [windows, qkvW, qkvB, projW, projB, attnBias], { numHeads: heads, scale });
    });
    const x1 = b.add(xIn, y, 'attn_residual');
    const h1 = b.gelu(w.linear(w.norm(x1, `${prefix}.norm2`, dim), `${prefix}.mlp.fc1`, hidden, dim));
    return b.add(x1, w.linear(h1, `${prefix}.mlp.fc2`, dim, hidden), outName);
  }

  /** Relative position bias [1|nW, nH, N, N] plus the shift mask, as ops over constants (folded later). */
  function relativeBias(prefix: string, geo: BlockGeometry, heads: number): Value {
    const M = geo.window;
    const name = `${prefix}.attn.relative_position_bias_table`;
    const table = reader.take(name, [null, heads]);
    const T = tableWindow(table.shape[0]!, name); // take checked the [rows, heads] shape
    if (T < M) {
      throw new WeightError(
        'WEIGHT_SHAPE_MISMATCH',
        name,
        `weight '${name}' covers a window of ${T}, but stage ${geo.stage} (${geo.height}x${geo.width}) needs window ${M}: run at the training size or resize the table (swin convert --window ${M})`,
      );
    }
    return relativeWindowBias(b, b.constant(name, table), geo, heads, [T, T]);
  }
}
