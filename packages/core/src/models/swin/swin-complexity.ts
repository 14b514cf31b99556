import { tensor, type TensorData } from '../../tensor/tensor.js';
import { countMacs } from '../model-counts.js';
import { buildSwinGraph } from './build-swin-graph.js';
import type { SwinV1Config } from './swin-config.js';
import { swinV1WeightShapes } from './swin-weight-shapes.js';

/**
 * Zero weights for a config that all view one shared buffer, so even Swin-L's graph can be built
 * (to count MACs, inspect shapes, export structure) without allocating its 197 M parameters.
 */
export function placeholderSwinWeights(config: SwinV1Config): Map<string, TensorData> {
  const shapes = swinV1WeightShapes(config);
  const largest = Math.max(...shapes.map(([, s]) => s.reduce((a, b) => a * b, 1)));
  const zeros = new Float32Array(largest);
  return new Map(shapes.map(([name, s]) => [name, tensor('float32', s, zeros.subarray(0, s.reduce((a, b) => a * b, 1)))]));
}

/** Parameter count and MACs (per image, at img_size unless given) of a Swin V1 config. */
export function swinComplexity(config: SwinV1Config, inputSize?: readonly [number, number]): { parameters: number; macs: number } {
  const parameters = swinV1WeightShapes(config).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
  const model = buildSwinGraph(config, placeholderSwinWeights(config), inputSize ? { inputSize } : {});
  return { parameters, macs: countMacs(model.graph) };
}
