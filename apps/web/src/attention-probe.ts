import { outputOf } from '@swin/pipeline/browser';
import { buildSwinV1Graph, createReferenceBackend, dimsOf, lowerComposites, MODEL_INPUT, toFloat32, type Executable, type Graph, type SwinV1Config, type TensorData, type WeightMap } from '@swin/core';
import type { WindowLayout } from './window-layout.js';

/**
 * Attention probabilities of every block, read out of the model itself: core lowers the
 * windowAttention composite into primitives, one of which is the softmax over
 * scores + relative position bias (+ shift mask), named `<block scope>/.../probs`. We add those
 * softmax outputs to the graph's outputs and run it on the reference backend, whatever backend
 * classified the picture: the explainer then shows exactly what the model computes, with no second
 * implementation of the attention to keep in sync.
 */
export class AttentionProbe {
  private constructor(
    private readonly executable: Executable,
    /** Output name of block `${stage}.${block}`'s probabilities, shape [windows, heads, N, N]. */
    private readonly outputs: ReadonlyMap<string, string>,
  ) {}

  static async create(config: SwinV1Config, weights: WeightMap, inputSize: readonly [number, number]): Promise<AttentionProbe> {
    const { graph } = buildSwinV1Graph(config, weights, { inputSize: [inputSize[0], inputSize[1]], batch: 1 });
    const lowered = lowerComposites(graph, new Set());
    const outputs = new Map<string, string>();
    config.depths.forEach((depth, stage) => {
      for (let block = 0; block < depth; block++) {
        const scope = `layers.${stage}.blocks.${block}/`;
        const softmaxes = lowered.nodes.filter((n) => n.op === 'softmax' && n.name.startsWith(scope));
        const [softmax] = softmaxes;
        if (!softmax || softmaxes.length !== 1) throw new Error(`expected one attention softmax in ${scope}, found ${softmaxes.length}`);
        outputs.set(`${stage}.${block}`, softmax.output);
      }
    });
    const probe: Graph = {
      ...lowered,
      outputs: [...lowered.outputs, ...[...outputs.values()].map((name) => lowered.values.get(name)!)],
    };
    const executable = await createReferenceBackend().compile(probe);
    return new AttentionProbe(executable, outputs);
  }

  /** Attention probabilities of every block for one preprocessed picture [1, 3, H, W]. */
  async run(input: TensorData<'float32'>): Promise<AttentionMaps> {
    const out = await this.executable.run({ [MODEL_INPUT]: input });
    const maps = new Map<string, TensorData>();
    for (const [key, name] of this.outputs) maps.set(key, outputOf(out, name));
    return new AttentionMaps(maps);
  }

  dispose(): void {
    this.executable.dispose();
  }
}

/** The probabilities of all blocks for one picture. */
export class AttentionMaps {
  constructor(private readonly maps: ReadonlyMap<string, TensorData>) {}

  /** Block's probabilities [windows, heads, N, N]. */
  probs(stage: number, block: number): TensorData {
    const t = this.maps.get(`${stage}.${block}`);
    if (!t) throw new RangeError(`no attention for stage ${stage} block ${block}`);
    return t;
  }

  /**
   * How much token (y, x) of the stage map attends to every token of the map, for one head or the
   * mean over heads: its window's row of the softmax, put back at the keys' positions in the
   * picture (undoing the cyclic shift). Tokens outside its window get 0.
   */
  tokenAttention(layout: WindowLayout, y: number, x: number, head: number | 'mean'): Float32Array {
    const { geometry } = layout;
    const probs = this.probs(geometry.stage, geometry.block);
    const [, heads, n] = dimsOf(probs.shape, 4, `attention of stage ${geometry.stage} block ${geometry.block}`);
    const data = toFloat32(probs).data;
    const { window, slot } = layout.placementOf(y, x);
    const out = new Float32Array(geometry.height * geometry.width);
    const hs = head === 'mean' ? Array.from({ length: heads }, (_, h) => h) : [head];
    for (const h of hs) {
      const row = ((window * heads + h) * n + slot) * n;
      // `at` is a token of the picture, so its pixel is inside `out`; `row + key` stays inside
      // the probabilities of (window, h, slot) since key < n.
      for (let key = 0; key < n; key++) {
        const at = layout.tokenAt(window, key);
        if (!at) continue;
        const pixel = at.y * geometry.width + at.x;
        out[pixel] = out[pixel]! + data[row + key]! / hs.length;
      }
    }
    return out;
  }
}
