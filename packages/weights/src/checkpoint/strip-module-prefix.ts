import type { LazyTensor } from '../tensors/lazy-tensor.js';

/** Prefixes that wrapping a model adds to every name: DataParallel / DistributedDataParallel's `module.`. */
const WRAPPING_PREFIXES = ['module.'] as const;

/** Removes a prefix every name carries (repeatedly: a wrapped wrapper has `module.module.`). */
export function stripModulePrefix(tensors: Map<string, LazyTensor>, wrappers: string[]): Map<string, LazyTensor> {
  let current = tensors;
  for (let round = 0; round < 4; round++) {
    const names = [...current.keys()];
    const prefix = WRAPPING_PREFIXES.find((p) => names.length > 0 && names.every((n) => n.startsWith(p)));
    if (!prefix) break;
    wrappers.push(prefix);
    current = new Map([...current].map(([n, t]) => [n.slice(prefix.length), t]));
  }
  return current;
}
