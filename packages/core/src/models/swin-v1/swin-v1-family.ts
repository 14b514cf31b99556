import type { BlockGeometry } from '../common/stage-geometry.js';
import type { ModelFamilyDescriptor } from '../model-family.js';
import { adaptSwinV1Config } from './adapt-swin-v1-config.js';
import { buildSwinV1Graph } from './build-swin-v1-graph.js';
import { inferSwinV1Config } from './infer-swin-v1-config.js';
import { randomSwinV1Weights } from './random-swin-v1-weights.js';
import { SWIN_V1_DEFAULTS, mergeSwinV1Config, swinV1ImageSize, validateSwinV1Config, type SwinV1Config } from './swin-v1-config.js';
import { SWIN_V1_HUGGING_FACE_NAMES } from './swin-v1-huggingface-names.js';
import { swinV1WeightShapes } from './swin-v1-weight-shapes.js';

/** Swin Transformer V1 (microsoft/Swin-Transformer models/swin_transformer.py). */
export const SWIN_V1_FAMILY: ModelFamilyDescriptor<SwinV1Config, BlockGeometry> = {
  id: 'swin_v1',
  name: 'Swin V1',
  defaults: SWIN_V1_DEFAULTS,
  validate: validateSwinV1Config,
  merge: mergeSwinV1Config,
  imageSize: swinV1ImageSize,
  signature: "'patch_embed.proj.weight' with 'relative_position_bias_table's (Swin V1)",
  // A single patch-embedding convolution and learned bias tables (V2 has a position MLP instead).
  recognises: (weights) => weights.has('patch_embed.proj.weight') && [...weights.keys()].some((n) => n.endsWith('.attn.relative_position_bias_table')),
  infer: inferSwinV1Config,
  weightShapes: swinV1WeightShapes,
  randomWeights: randomSwinV1Weights,
  build: buildSwinV1Graph,
  checkpoint: {
    // The weights reveal everything else (and re-inferring it checks the file).
    metadataKeys: ['img_size', 'qk_scale', 'layer_norm_eps', 'window_rule'],
    windowGrid: (c) => ({ imageSize: swinV1ImageSize(c), patchSize: c.patch_size, stages: c.depths.length, window: c.window_size }),
    adapt: adaptSwinV1Config,
    huggingface: SWIN_V1_HUGGING_FACE_NAMES,
  },
  variants: { prefix: 'swin-', example: 'swin-t' },
};
