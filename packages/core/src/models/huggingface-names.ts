/**
 * How a family's tensors are named in a Hugging Face transformers checkpoint, as data: @swin/weights
 * renames by it with one interpreter (its schemes/huggingface-scheme.ts). What every transformers Swin
 * names alike (patch embedding, downsample, final norm, classifier, query / key / value split) is
 * the interpreter's; what differs per family is here.
 */
export interface HuggingFaceNames {
  /** Prefix of the base model's names under *ForImageClassification: "swin.", "swinv2.". */
  readonly prefix: string;
  /** For messages: "Swin", "Swin V2". */
  readonly label: string;
  /** transformers' class names, for messages ("Swinv2*"); undefined when the label says it. */
  readonly classes?: string;
  /**
   * A name pattern only this family's checkpoints have. Undefined for the one family taken when no
   * other family's marker matches (Swin V1, the first transformers Swin).
   */
  readonly marker?: RegExp;
  /**
   * A block's tensors, named relative to `encoder.layers.{i}.blocks.{j}.`: [pattern, canonical
   * replacement under `layers.{i}.blocks.{j}.`], the first match wins. Query / key / value are not
   * listed (see attentionBias).
   */
  readonly blockRenames: readonly (readonly [RegExp, string])[];
  /**
   * What the split attention's biases are: 'qkv', concatenated like the weights into attn.qkv.bias;
   * 'q-v', attn.q_bias and attn.v_bias, with a key bias (which must be zero) dropped.
   */
  readonly attentionBias: 'qkv' | 'q-v';
}
