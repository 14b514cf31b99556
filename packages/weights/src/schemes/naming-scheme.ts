import { WeightError } from '@swin/core';
import type { LazyTensor } from '../tensors/lazy-tensor.js';

/**
 * The parameter naming schemes we map to the canonical (official Microsoft) names. 'official' also
 * covers timm before 0.9, which used the official layout.
 */
export type NamingScheme = 'official' | 'timm' | 'torchvision' | 'huggingface';

/** A state dict renamed to canonical names. */
export interface SchemeMapping {
  readonly scheme: NamingScheme;
  readonly tensors: Map<string, LazyTensor>;
  /** Names the mapper did not recognise (kept as they are) or dropped on purpose, for the user. */
  readonly notes: string[];
  /**
   * Architecture facts the scheme implies (config keys), applied where the detected family has the
   * key: torchvision's models never shrink the window ({ window_rule: 'torchvision' }).
   */
  readonly config: Readonly<Record<string, unknown>>;
}

/** Adds a renamed tensor, refusing two sources for one canonical name. */
export function putUnique(out: Map<string, LazyTensor>, name: string, t: LazyTensor, source: string): void {
  if (out.has(name)) throw new WeightError('UNEXPECTED_WEIGHT', name, `two weights map to '${name}' (the second is '${source}')`);
  out.set(name, t);
}
