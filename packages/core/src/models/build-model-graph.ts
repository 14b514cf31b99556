import type { Graph } from '../graph/graph.js';
import { buildCrossFormerGraph } from './crossformer/build-crossformer-graph.js';
import type { CrossFormerBlockGeometry } from './crossformer/group-geometry.js';
import { unknownFamily, type ModelConfig } from './model-config.js';
import { buildSwinGraph } from './swin/build-swin-graph.js';
import type { BlockGeometry } from './swin/stage-geometry.js';
import type { SwinOutputSpec } from './swin/swin-outputs.js';
import { buildSwinV2Graph, type SwinV2BlockGeometry } from './swin-v2/build-swin-v2-graph.js';
import type { WeightMap } from './weight-map.js';

/** How to build any family: input size (default the config's img_size), nominal batch, outputs. */
export interface BuildModelOptions {
  readonly inputSize?: readonly [number, number];
  readonly batch?: number;
  /** logits | pooled | stages | all | names (embed, stage{i}, stage{i}_out, stage{i}_block{j}, norm_out, pooled, logits). */
  readonly outputs?: SwinOutputSpec;
}

/** A built model of any family: the graph (input 'input', NCHW float32) and what was resolved building it. */
export interface BuiltModel {
  readonly graph: Graph;
  readonly config: ModelConfig;
  readonly inputSize: [number, number];
  /** Per block, the family's geometry (window/shift for Swin, grouping for CrossFormer). */
  readonly blocks: readonly (BlockGeometry | SwinV2BlockGeometry | CrossFormerBlockGeometry)[];
  readonly parameterCount: number;
  /** Weights the graph did not use (derived buffers excluded): usually a sign of a wrong config. */
  readonly unusedWeights: readonly string[];
}

/** Builds the graph of any family, dispatching on config.family. Outputs keep the same names across families. */
export function buildModelGraph(config: ModelConfig, weights: WeightMap, options: BuildModelOptions = {}): BuiltModel {
  switch (config.family) {
    case 'swin_v1':
      return buildSwinGraph(config, weights, options);
    case 'swin_v2':
      return buildSwinV2Graph(config, weights, options);
    case 'crossformer':
      return buildCrossFormerGraph(config, weights, options);
    default:
      return unknownFamily((config as { family?: unknown }).family);
  }
}
