import type { LazyTensor } from '../tensors/lazy-tensor.js';
import { detectScheme } from './detect-scheme.js';
import { fromHuggingFace } from './huggingface-scheme.js';
import type { NamingScheme, SchemeMapping } from './naming-scheme.js';
import { fromTimm } from './timm-scheme.js';
import { fromTorchvision } from './torchvision-scheme.js';

/** Detects the naming scheme (unless given) and renames every tensor to its canonical name. */
export function mapToCanonical(tensors: ReadonlyMap<string, LazyTensor>, scheme?: NamingScheme): SchemeMapping & { reason: string } {
  const detected = scheme ? { scheme, reason: 'given by the caller' } : detectScheme([...tensors.keys()]);
  const notes: string[] = [];
  let out: Map<string, LazyTensor>;
  let config: Record<string, unknown> = {};
  switch (detected.scheme) {
    case 'timm':
      out = fromTimm(tensors, notes);
      break;
    case 'torchvision':
      out = fromTorchvision(tensors, notes);
      config = { window_rule: 'torchvision' };
      break;
    case 'huggingface':
      out = fromHuggingFace(tensors, notes);
      break;
    default:
      out = new Map(tensors);
  }
  return { scheme: detected.scheme, reason: detected.reason, tensors: out, notes, config };
}
