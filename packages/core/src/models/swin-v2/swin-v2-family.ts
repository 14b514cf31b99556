import type { ModelFamilyDescriptor } from '../model-family.js';
import { buildSwinV2Graph, type SwinV2BlockGeometry } from './build-swin-v2-graph.js';
import { inferSwinV2Config } from './infer-swin-v2-config.js';
import { randomSwinV2Weights } from './random-swin-v2-weights.js';
import { SWIN_V2_DEFAULTS, mergeSwinV2Config, swinV2ImageSize, validateSwinV2Config, type SwinV2Config } from './swin-v2-config.js';
import { SWIN_V2_HUGGING_FACE_NAMES } from './swin-v2-huggingface-names.js';
import { swinV2WeightShapes } from './swin-v2-weight-shapes.js';

/** Swin Transformer V2 (microsoft/Swin-Transformer models/swin_transformer_v2.py). */
export const SWIN_V2_FAMILY: ModelFamilyDescriptor<SwinV2Config, SwinV2BlockGeometry> = {
  id: 'swin_v2',
  name: 'Swin V2',
  defaults: SWIN_V2_DEFAULTS,
  validate: validateSwinV2Config,
  merge: mergeSwinV2Config,
  imageSize: swinV2ImageSize,
  signature: "'*.attn.logit_scale' or '*.attn.cpb_mlp.*' (Swin V2)",
  // Its cosine attention's logit scale, or its continuous position bias MLP.
  recognises: (weights) => [...weights.keys()].some((n) => n.endsWith('.attn.logit_scale') || n.includes('.attn.cpb_mlp.')),
  infer: inferSwinV2Config,
  weightShapes: swinV2WeightShapes,
  randomWeights: randomSwinV2Weights,
  build: buildSwinV2Graph,
  // Every config key of a converted file is trusted (the window is not in the weights); no adaptation.
  checkpoint: { huggingface: SWIN_V2_HUGGING_FACE_NAMES },
  variants: { prefix: 'swinv2-', example: 'swinv2-b-384' },
};
