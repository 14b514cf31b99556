import type { GraphBuilder, Value } from '../../graph/graph-builder.js';
import type { BuilderWeights } from './builder-weights.js';
import type { ModelOutputs } from './model-outputs.js';

/**
 * The head every family shares: LayerNorm `norm` over NHWC tokens (norm_out), mean over tokens
 * (pooled), Linear `head` (logits) when the model has classes.
 */
export function emitClassifierHead(b: GraphBuilder, w: BuilderWeights, x: Value, numFeatures: number, numClasses: number, outputs: ModelOutputs): void {
  const normed = w.norm(x, 'norm', numFeatures, 'norm_out');
  outputs.expose('norm_out', normed);
  const pooled = b.reduceMean(normed, [1, 2], false, 'pooled');
  outputs.expose('pooled', pooled);
  if (numClasses > 0) outputs.expose('logits', w.linear(pooled, 'head', numClasses, numFeatures, 'logits'));
}
