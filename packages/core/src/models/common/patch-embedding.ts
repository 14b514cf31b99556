import { ShapeError } from '../../errors.js';
import type { GraphBuilder, Value } from '../../graph/graph-builder.js';
import { dimsOf } from '../../tensor/shape-dims.js';
import type { WeightReader } from '../weight-map.js';
import type { BuilderWeights } from './builder-weights.js';
import type { ModelGraph, ModelGraphConfig } from './model-graph.js';
import { stageResolutions } from './stage-geometry.js';

/** The architecture facts a single-convolution patch embedding reads (Swin V1 and V2 name them alike). */
export interface PatchEmbeddingConfig {
  readonly patch_size: number;
  readonly in_chans: number;
  readonly embed_dim: number;
  readonly patch_norm: boolean;
  readonly ape: boolean;
}

/**
 * Swin's patch embedding on NCHW input: a stride-p convolution to NHWC tokens (sizes that are not
 * patch multiples are zero-padded bottom/right first, as Hugging Face does; the official code
 * requires multiples), optional LayerNorm, optional absolute position embedding. Returns 'embed'
 * [B, H/p, W/p, C]. `apeHint` says what to do when the embedding's grid does not fit the input.
 */
export function emitPatchEmbedding(
  b: GraphBuilder,
  w: BuilderWeights,
  reader: WeightReader,
  input: Value,
  config: PatchEmbeddingConfig,
  firstStage: readonly [number, number],
  apeHint: string,
): Value {
  const p = config.patch_size;
  const C0 = config.embed_dim;
  const [, , imgH, imgW] = dimsOf(input.shape, 4, 'patch embedding input');
  const x = b.scope('patch_embed', () => {
    let img = input;
    const padH = (p - (imgH % p)) % p;
    const padW = (p - (imgW % p)) % p;
    if (padH || padW) img = b.pad(img, [0, 0, 0, 0, 0, 0, padH, padW]);
    const conv = b.conv2d(img, w.weight('patch_embed.proj.weight', [C0, config.in_chans, p, p]), w.maybe('patch_embed.proj.bias', [C0]), {
      strides: [p, p],
      pads: [0, 0, 0, 0],
    });
    const t = b.transpose(conv, [0, 2, 3, 1]); // NCHW -> NHWC tokens
    return config.patch_norm ? w.norm(t, 'patch_embed.norm', C0) : t;
  });
  if (!config.ape) return b.reshape(x, [-1, ...x.shape.slice(1)], 'embed');
  const [h0, w0] = firstStage;
  const pos = reader.take('absolute_pos_embed', [1, null, C0]);
  if (pos.shape[1] !== h0 * w0) {
    throw new ShapeError(`absolute_pos_embed has ${pos.shape[1]} positions, the ${imgH}x${imgW} input makes ${h0}x${w0} = ${h0 * w0} tokens: ${apeHint}`);
  }
  return b.add(x, b.constant('absolute_pos_embed', { ...pos, shape: [1, h0, w0, C0] }), 'embed');
}

/**
 * The start of a Swin graph on m: each stage's map size for the run's input, and the patch
 * embedding exposed as 'embed'.
 */
export function emitSwinEmbedding(
  m: ModelGraph<ModelGraphConfig & PatchEmbeddingConfig>,
  apeHint: string,
): { embedded: Value; resolutions: [number, number][] } {
  const { config } = m;
  const resolutions = stageResolutions(m.inputSize[0], m.inputSize[1], config.patch_size, config.depths.length);
  // stageResolutions returns one size per stage, and there is at least one stage.
  const embedded = emitPatchEmbedding(m.b, m.w, m.reader, m.input, config, resolutions[0]!, apeHint);
  m.outputs.expose('embed', embedded);
  return { embedded, resolutions };
}
