import { countMacs } from '../model-counts.js';
import { placeholderWeights } from '../common/placeholder-weights.js';
import { buildSwinV2Graph } from './build-swin-v2-graph.js';
import type { SwinV2Config } from './swin-v2-config.js';
import { swinV2WeightShapes } from './swin-v2-weight-shapes.js';

/** Parameter count and MACs (per image, at img_size unless given) of a Swin V2 config. */
export function swinV2Complexity(config: SwinV2Config, inputSize?: readonly [number, number]): { parameters: number; macs: number } {
  const shapes = swinV2WeightShapes(config);
  const parameters = shapes.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
  const model = buildSwinV2Graph(config, placeholderWeights(shapes), inputSize ? { inputSize } : {});
  return { parameters, macs: countMacs(model.graph) };
}
