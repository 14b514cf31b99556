import type { Value } from '../../graph/graph-builder.js';
import type { ModelGraph, ModelGraphConfig } from './model-graph.js';

/** What a family puts inside the shared stage loop. */
export interface StageLayers<G> {
  /**
   * Called with stage `stage`'s input (NHWC) before its first block: a check on the map the stage
   * receives (CrossFormer++'s CPE is built for one row count). Families without one leave it out.
   */
  startStage?(stage: number, input: Value): void;
  /** The geometry of block `block` of stage `stage` (window / shift, grouping...), whose input map is `stageInput` (NHWC). */
  geometry(stage: number, block: number, stageInput: Value): G;
  /** One block on x, already inside the scope `prefix`; its output is named outName. */
  block(x: Value, prefix: string, geo: G, dim: number, heads: number, outName: string): Value;
  /** Stage `stage`'s downsampling (dim -> 2 dim channels), already inside the scope `prefix`; its output is named outName. */
  downsample(x: Value, prefix: string, stage: number, dim: number, outName: string): Value;
}

/**
 * The stage loop of every hierarchical family: stage i runs depths[i] blocks at embed_dim * 2^i
 * channels with num_heads[i] heads under `layers.{i}.blocks.{j}`, then (all but the last stage) its
 * downsampling under `layers.{i}.downsample`. Exposes stage{i}_block{j}, stage{i} and stage{i}_out,
 * and returns the last stage's output with the geometry of every block in order. The family's hooks
 * run in this order per stage: startStage, then geometry and block per block, then downsample.
 */
export function emitStages<G>(m: ModelGraph<ModelGraphConfig>, embedded: Value, layers: StageLayers<G>): { x: Value; blocks: G[] } {
  const { b, config, outputs } = m;
  const blocks: G[] = [];
  let x = embedded;
  config.depths.forEach((depth, si) => {
    const dim = config.embed_dim * 2 ** si;
    // num_heads has one entry per stage (every family's validator checks it).
    const heads = config.num_heads[si]!;
    const stageInput = x;
    layers.startStage?.(si, stageInput);
    for (let bj = 0; bj < depth; bj++) {
      const prefix = `layers.${si}.blocks.${bj}`;
      const geo = layers.geometry(si, bj, stageInput);
      blocks.push(geo);
      x = b.scope(prefix, () => layers.block(x, prefix, geo, dim, heads, `stage${si}_block${bj}`));
      outputs.expose(`stage${si}_block${bj}`, x);
    }
    outputs.expose(`stage${si}`, x);
    if (si < config.depths.length - 1) {
      const prefix = `layers.${si}.downsample`;
      x = b.scope(prefix, () => layers.downsample(x, prefix, si, dim, `stage${si}_out`));
    }
    outputs.expose(`stage${si}_out`, x);
  });
  return { x, blocks };
}
