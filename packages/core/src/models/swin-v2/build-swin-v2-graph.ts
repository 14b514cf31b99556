import type { Value } from '../../graph/graph-builder.js';
import { float32 } from '../../tensor/tensor.js';
import { ModelGraph } from '../common/model-graph.js';
import { emitSwinEmbedding } from '../common/patch-embedding.js';
import { emitStages } from '../common/hierarchical-stages.js';
import { attendInWindows, relativeWindowBias } from '../common/shifted-windows.js';
import { resolveBlockGeometry, type BlockGeometry } from '../common/stage-geometry.js';
import type { BuildModelOptions, FamilyModel } from '../model-family.js';
import type { WeightMap } from '../weight-map.js';
import { clampedLogitScale } from './clamped-logit-scale.js';
import { cosineWindowAttention } from './cosine-window-attention.js';
import { logSpacedRelativeCoords } from './log-spaced-coords.js';
import { swinV2ImageSize, validateSwinV2Config, type SwinV2Config } from './swin-v2-config.js';
import { CPB_MLP_HIDDEN } from './swin-v2-weight-shapes.js';

/** A V2 block's geometry: V1's window/shift/padding plus the window its position MLP was trained at. */
export interface SwinV2BlockGeometry extends BlockGeometry {
  /** pretrained_window_sizes[stage] (0 = the block's own window normalises the coordinates). */
  readonly pretrainedWindow: number;
}

/** A built Swin V2 model: the graph plus what was resolved while building it. */
export type SwinV2Model = FamilyModel<SwinV2Config, SwinV2BlockGeometry>;

/** Amplitude of Swin V2's position bias: 16 * sigmoid(mlp). */
const CPB_AMPLITUDE = 16;

/**
 * Builds the Swin V2 graph in the official semantics: V1's patch embedding, windows, shifts and
 * masks, with scaled cosine attention, a continuous position bias (MLP over log-spaced coordinates),
 * q/v biases only, post-norm blocks (x + norm1(attn(x)), x + norm2(mlp(x))) and PatchMerging as
 * Linear then LayerNorm. The position MLP, its gather and the shift mask are ops over constants, so
 * constant folding evaluates them once at compile; the clamped logit scales are computed here.
 * Sizes that are not window multiples are padded like torchvision / Hugging Face (see stage-geometry).
 */
export function buildSwinV2Graph(configIn: SwinV2Config, weights: WeightMap, options: BuildModelOptions = {}): SwinV2Model {
  const config = validateSwinV2Config(configIn);
  const m = new ModelGraph(config, weights, options, swinV2ImageSize(config));
  const { b, w, reader } = m;
  const { embedded, resolutions } = emitSwinEmbedding(m, 'run at the training size');
  const { x, blocks } = emitStages<SwinV2BlockGeometry>(m, embedded, {
    // stageResolutions and pretrained_window_sizes have one entry per stage (the validator checks the latter).
    geometry: (si, bj) => ({ ...resolveBlockGeometry(si, bj, ...resolutions[si]!, config.window_size, config.window_rule), pretrainedWindow: config.pretrained_window_sizes[si]! }),
    block: v2Block,
    // PatchMerging as Linear then LayerNorm (V1 normalises first).
    downsample: (xIn, prefix, _si, dim, outName) =>
      w.norm(w.linear(b.op('patchMerging', [xIn], {}), `${prefix}.reduction`, 2 * dim, 4 * dim), `${prefix}.norm`, 2 * dim, outName),
  });
  return m.finish(x, blocks);

  function v2Block(xIn: Value, prefix: string, geo: SwinV2BlockGeometry, dim: number, heads: number, outName: string): Value {
    const hidden = Math.round(dim * config.mlp_ratio);
    // Post-norm: attention reads the block input itself; padding (zeros, unmasked) as in torchvision.
    const y = attendInWindows(b, xIn, geo, (windows) =>
      cosineWindowAttention(
        b,
        windows,
        {
          qkvWeight: w.weight(`${prefix}.attn.qkv.weight`, [3 * dim, dim]),
          qkvBias: config.qkv_bias ? qvBias(prefix, dim) : undefined,
          projWeight: w.weight(`${prefix}.attn.proj.weight`, [dim, dim]),
          projBias: w.maybe(`${prefix}.attn.proj.bias`, [dim]),
          headScale: b.literal('head_scale', clampedLogitScale(reader.take(`${prefix}.attn.logit_scale`, [heads, 1, 1]))),
          attnBias: positionBias(prefix, geo, heads),
        },
        heads,
      ),
    );
    const x1 = b.add(xIn, w.norm(y, `${prefix}.norm1`, dim), 'attn_residual');
    const h = w.linear(b.gelu(w.linear(x1, `${prefix}.mlp.fc1`, hidden, dim)), `${prefix}.mlp.fc2`, dim, hidden);
    return b.add(x1, w.norm(h, `${prefix}.norm2`, dim), outName);
  }

  /** cat(q_bias, 0, v_bias): V2 learns no k bias. A concat of constants, folded at compile. */
  function qvBias(prefix: string, dim: number): Value {
    const zeros = b.literal('k_bias_zero', float32([dim], new Float32Array(dim)));
    return b.concat([w.weight(`${prefix}.attn.q_bias`, [dim]), zeros, w.weight(`${prefix}.attn.v_bias`, [dim])], 0, 'qkv_bias');
  }

  /** [1|nW, nH, N, N]: 16 sigmoid(cpb_mlp(coords))[index] plus the shift mask, as ops over constants. */
  function positionBias(prefix: string, geo: SwinV2BlockGeometry, heads: number): Value {
    const coords = b.literal('relative_coords_table', logSpacedRelativeCoords(geo.window, geo.pretrainedWindow));
    const hiddenV = b.relu(w.linear(coords, `${prefix}.attn.cpb_mlp.0`, CPB_MLP_HIDDEN, 2), 'cpb_hidden');
    const table = w.linear(hiddenV, `${prefix}.attn.cpb_mlp.2`, heads, CPB_MLP_HIDDEN, 'cpb_table'); // [(2M-1)^2, nH]
    const squashed = b.mul(b.op('sigmoid', [table], {}), b.literal('cpb_amplitude', float32([], [CPB_AMPLITUDE])), 'cpb_bias_table');
    return relativeWindowBias(b, squashed, geo, heads);
  }
}
