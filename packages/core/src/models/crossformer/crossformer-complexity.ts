import { placeholderWeights } from '../common/placeholder-weights.js';
import { countMacs } from '../model-counts.js';
import { buildCrossFormerGraph } from './build-crossformer-graph.js';
import type { CrossFormerConfig } from './crossformer-config.js';
import { crossFormerWeightShapes } from './crossformer-weight-shapes.js';

/**
 * Parameter count and MACs (per image, at img_size unless given) of a CrossFormer config. The
 * position-bias MLPs are folded constants, not per-run work, so unlike the official flops() they
 * are not counted.
 */
export function crossFormerComplexity(config: CrossFormerConfig, inputSize?: readonly [number, number]): { parameters: number; macs: number } {
  const shapes = crossFormerWeightShapes(config);
  const parameters = shapes.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
  const model = buildCrossFormerGraph(config, placeholderWeights(shapes), inputSize ? { inputSize } : {});
  return { parameters, macs: countMacs(model.graph) };
}
