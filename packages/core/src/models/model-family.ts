import { SwinError } from '../errors.js';
import type { WeightMap } from './weight-map.js';

/** Model families core can build. */
export type ModelFamily = 'swin_v1' | 'swin_v2' | 'crossformer';

/** Every family, in the order they were added. */
export const MODEL_FAMILIES: readonly ModelFamily[] = ['swin_v1', 'swin_v2', 'crossformer'];

/** True when `v` names a family. */
export function isModelFamily(v: unknown): v is ModelFamily {
  return typeof v === 'string' && (MODEL_FAMILIES as readonly string[]).includes(v);
}

/**
 * Recognises the family from canonical weight names: Swin V2 by its cosine-attention logit scale or
 * continuous position bias MLP, CrossFormer by its multi-kernel patch embedding, Swin V1 by a
 * single patch-embedding convolution.
 */
export function detectFamily(weights: WeightMap): ModelFamily {
  const names = [...weights.keys()];
  if (names.some((n) => n.endsWith('.attn.logit_scale') || n.includes('.attn.cpb_mlp.'))) return 'swin_v2';
  if (names.some((n) => n.startsWith('patch_embed.projs.'))) return 'crossformer';
  if (weights.has('patch_embed.proj.weight')) return 'swin_v1';
  throw new SwinError('INVALID_FORMAT', `cannot tell the model family: expected 'patch_embed.proj.weight' (Swin) or 'patch_embed.projs.0.weight' (CrossFormer) among ${names.length} weights (first: ${names.slice(0, 3).join(', ')})`);
}
