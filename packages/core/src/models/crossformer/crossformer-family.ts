import type { ModelFamilyDescriptor } from '../model-family.js';
import { buildCrossFormerGraph } from './build-crossformer-graph.js';
import { CROSSFORMER_DEFAULTS, crossFormerImageSize, mergeCrossFormerConfig, validateCrossFormerConfig, type CrossFormerConfig } from './crossformer-config.js';
import { crossFormerWeightShapes } from './crossformer-weight-shapes.js';
import type { CrossFormerBlockGeometry } from './group-geometry.js';
import { inferCrossFormerConfig } from './infer-crossformer-config.js';
import { randomCrossFormerWeights } from './random-crossformer-weights.js';

/** CrossFormer and CrossFormer++ (cheerss/CrossFormer models/crossformer.py, every option). */
export const CROSSFORMER_FAMILY: ModelFamilyDescriptor<CrossFormerConfig, CrossFormerBlockGeometry> = {
  id: 'crossformer',
  name: 'CrossFormer',
  defaults: CROSSFORMER_DEFAULTS,
  validate: validateCrossFormerConfig,
  merge: mergeCrossFormerConfig,
  imageSize: crossFormerImageSize,
  signature: "'patch_embed.projs.0.weight' (CrossFormer)",
  // Its cross-scale embedding: several patch-embedding convolutions.
  recognises: (weights) => [...weights.keys()].some((n) => n.startsWith('patch_embed.projs.')),
  infer: inferCrossFormerConfig,
  weightShapes: crossFormerWeightShapes,
  randomWeights: randomCrossFormerWeights,
  build: buildCrossFormerGraph,
  // Group sizes and intervals are not in the weights: every config key of a converted file is trusted; no adaptation.
  checkpoint: {},
  variants: { prefix: 'crossformer-', example: 'crossformer-s' },
};
