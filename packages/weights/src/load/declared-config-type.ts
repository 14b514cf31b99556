import type { ModelFamily } from '@swin/core';

/**
 * Architecture facts a file beside the weights declares (a Hugging Face config.json): unlike the
 * caller's overrides they are not trusted over the weights. Where the weights show a key, the two
 * must agree; where they cannot (an image size without absolute embedding, a Swin V2 window), the
 * declared value is used.
 */
export interface DeclaredConfig {
  /** Where the values come from, for messages ("model/config.json"). */
  readonly source: string;
  /** The family the file declares; the weights must be of it. */
  readonly family: ModelFamily;
  /** Values under the official constructor argument names. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The file's own name of each official key, for messages (img_size: 'image_size'). */
  readonly names: Readonly<Record<string, string>>;
  /** What reading the file noticed (keys it does not read), reported with the load's warnings. */
  readonly notes?: readonly string[];
}
