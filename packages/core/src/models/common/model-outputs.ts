import type { GraphBuilder, Value } from '../../graph/graph-builder.js';

/**
 * Collects the named values a model can return (embed, stage{i}_block{j}, stage{i}_out, stage{i},
 * norm_out, pooled, logits) and marks the wanted ones as graph outputs under exactly those names.
 */
export class ModelOutputs {
  private readonly values = new Map<string, Value>();

  expose(name: string, v: Value): void {
    this.values.set(name, v);
  }

  /** Marks `wanted` as outputs; a value known under several names (stage{i} is its last block) gets a free reshape alias. */
  finish(b: GraphBuilder, wanted: Iterable<string>): void {
    for (const name of wanted) {
      const v = this.values.get(name);
      if (!v) throw new Error(`model builder did not produce output '${name}'`);
      b.output(v.name === name ? v : b.op('reshape', [v], { shape: [-1, ...v.shape.slice(1)] }, name, true));
    }
  }
}
