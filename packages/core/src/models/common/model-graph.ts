import { GraphBuilder, type Value } from '../../graph/graph-builder.js';
import type { BuildModelOptions, FamilyModel } from '../model-family.js';
import { WeightReader, type WeightMap } from '../weight-map.js';
import { BuilderWeights } from './builder-weights.js';
import { emitClassifierHead } from './classifier-head.js';
import { MODEL_INPUT, resolveModelOutputs } from './model-output-spec.js';
import { ModelOutputs } from './model-outputs.js';

/** What every family's builder reads from its config before its own layers. */
export interface ModelGraphConfig {
  readonly family: string;
  readonly in_chans: number;
  readonly embed_dim: number;
  readonly depths: readonly number[];
  readonly num_heads: readonly number[];
  readonly num_classes: number;
  readonly layer_norm_eps: number;
}

/**
 * A model graph under construction: the builder, the weights as constants, the named outputs, and
 * the input 'input' [batch, in_chans, H, W]. Families build their embedding and stages on it; start
 * and finish are the same for all (metadata, classifier head, outputs, the result).
 */
export class ModelGraph<C extends ModelGraphConfig> {
  readonly b = new GraphBuilder(true);
  readonly reader: WeightReader;
  readonly w: BuilderWeights;
  readonly outputs = new ModelOutputs();
  readonly inputSize: [number, number];
  readonly input: Value;
  private readonly wanted: string[];

  /** `defaultSize` is the config's img_size, used unless options.inputSize is given. */
  constructor(
    readonly config: C,
    weights: WeightMap,
    options: BuildModelOptions,
    defaultSize: [number, number],
  ) {
    this.reader = new WeightReader(weights);
    this.inputSize = options.inputSize ? [options.inputSize[0], options.inputSize[1]] : defaultSize;
    this.wanted = resolveModelOutputs(options.outputs ?? 'logits', config.depths, config.num_classes > 0);
    this.w = new BuilderWeights(this.b, this.reader, config.layer_norm_eps);
    this.b.setMetadata('family', config.family);
    this.b.setMetadata('config', JSON.stringify(config));
    this.b.setMetadata('inputSize', JSON.stringify(this.inputSize));
    this.input = this.b.input(MODEL_INPUT, 'float32', [options.batch ?? 1, config.in_chans, ...this.inputSize]);
  }

  /** The shared head on the last stage's output x, the wanted outputs marked, and the built model. */
  finish<G>(x: Value, blocks: G[]): FamilyModel<C, G> {
    const { b, config } = this;
    emitClassifierHead(b, this.w, x, config.embed_dim * 2 ** (config.depths.length - 1), config.num_classes, this.outputs);
    this.outputs.finish(b, this.wanted);
    b.setMetadata('blocks', JSON.stringify(blocks));
    return { graph: b.build(), config, inputSize: this.inputSize, blocks, parameterCount: this.reader.parameterCount(), unusedWeights: this.reader.unused() };
  }
}
