import { crossFormerWeightShapes } from './crossformer/crossformer-weight-shapes.js';
import { randomCrossFormerWeights } from './crossformer/random-crossformer-weights.js';
import { unknownFamily, type ModelConfig } from './model-config.js';
import { randomSwinWeights } from './swin/random-swin-weights.js';
import { swinV1WeightShapes } from './swin/swin-weight-shapes.js';
import { randomSwinV2Weights } from './swin-v2/random-swin-v2-weights.js';
import { swinV2WeightShapes } from './swin-v2/swin-v2-weight-shapes.js';
import type { TensorData } from '../tensor/tensor.js';

/** Canonical parameter names and shapes of any family's config, in the official state_dict order. */
export function modelWeightShapes(config: ModelConfig): [string, number[]][] {
  switch (config.family) {
    case 'swin_v1':
      return swinV1WeightShapes(config);
    case 'swin_v2':
      return swinV2WeightShapes(config);
    case 'crossformer':
      return crossFormerWeightShapes(config);
    default:
      return unknownFamily((config as { family?: unknown }).family);
  }
}

/** Seeded random weights of any family, drawn like the reference fixtures' randomized init. */
export function randomModelWeights(config: ModelConfig, seed: number): Map<string, TensorData> {
  switch (config.family) {
    case 'swin_v1':
      return randomSwinWeights(config, seed);
    case 'swin_v2':
      return randomSwinV2Weights(config, seed);
    case 'crossformer':
      return randomCrossFormerWeights(config, seed);
    default:
      return unknownFamily((config as { family?: unknown }).family);
  }
}
