import type { BuildModelOptions, FamilyModel } from './model-family.js';
import { familyOf, type ModelBlockGeometry, type ModelConfig } from './model-families.js';
import type { WeightMap } from './weight-map.js';

export type { BuildModelOptions } from './model-family.js';

/** A built model of any family: the graph (input 'input', NCHW float32) and what was resolved building it. */
export type BuiltModel = FamilyModel<ModelConfig, ModelBlockGeometry>;

/** Builds the graph of any family (its descriptor's builder). Outputs keep the same names across families. */
export function buildModelGraph(config: ModelConfig, weights: WeightMap, options: BuildModelOptions = {}): BuiltModel {
  return familyOf(config).build(config, weights, options);
}
