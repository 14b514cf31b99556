import { huggingFaceLabel, huggingFaceNamesOf, isHuggingFaceName } from './huggingface-scheme.js';
import type { NamingScheme } from './naming-scheme.js';

/**
 * Recognises a naming scheme from the names alone: torchvision's `features.N`, Hugging Face's
 * `embeddings.patch_embeddings` / `attention.self` (Swin and Swin V2), timm >= 0.9's `head.fc` or a PatchMerging in the
 * last stage (timm moved downsample to the start of the next stage, so the last stage has one and
 * the first has none). Anything else is taken as official, which is also the identity mapping.
 */
export function detectScheme(names: readonly string[]): { scheme: NamingScheme; reason: string } {
  const tv = names.find((n) => /^features\.\d+\./.test(n));
  if (tv) return { scheme: 'torchvision', reason: `'${tv}' is a torchvision name` };
  const hf = names.find(isHuggingFaceName);
  if (hf) return { scheme: 'huggingface', reason: `'${hf}' is a Hugging Face ${huggingFaceLabel(huggingFaceNamesOf(names))} name` };
  const headFc = names.find((n) => n.startsWith('head.fc.'));
  if (headFc) return { scheme: 'timm', reason: `'${headFc}' is a timm >= 0.9 name` };
  const stages = new Set<number>();
  const downsampled = new Set<number>();
  for (const n of names) {
    const m = /^layers\.(\d+)\.(blocks|downsample)\./.exec(n);
    if (!m) continue;
    stages.add(Number(m[1]));
    if (m[2] === 'downsample') downsampled.add(Number(m[1]));
  }
  const last = Math.max(-1, ...stages);
  if (last > 0 && downsampled.has(last) && !downsampled.has(0)) {
    return { scheme: 'timm', reason: `the last stage (layers.${last}) has a downsample and the first has none, as in timm >= 0.9` };
  }
  return { scheme: 'official', reason: 'official Microsoft names (also timm < 0.9)' };
}
