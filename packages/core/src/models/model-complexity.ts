import { placeholderWeights } from './common/placeholder-weights.js';
import { familyOf, type ModelConfig } from './model-families.js';
import { countMacs } from './model-counts.js';

/**
 * Parameter count and MACs per image (the papers' "FLOPs") of any family, at img_size unless given.
 * The graph is built over placeholder weights (one shared zero buffer), so even Swin-L costs no
 * parameter memory. Constant subgraphs (position-bias MLPs, masks) are folded at compile, so unlike
 * CrossFormer's official flops() they are not counted.
 */
export function modelComplexity(config: ModelConfig, inputSize?: readonly [number, number]): { parameters: number; macs: number } {
  const family = familyOf(config);
  const shapes = family.weightShapes(config);
  const parameters = shapes.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
  const model = family.build(config, placeholderWeights(shapes), inputSize ? { inputSize } : {});
  return { parameters, macs: countMacs(model.graph) };
}
