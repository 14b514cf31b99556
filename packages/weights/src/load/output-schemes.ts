import { toTorchvision } from '../schemes/to-torchvision.js';
import type { LazyTensor } from '../tensors/lazy-tensor.js';
import type { CanonicalPlan } from './plan-canonical-weights.js';

/** The naming schemes a conversion can write, each from the planned canonical tensors. */
export const OUTPUT_SCHEMES = {
  /** The canonical (official Microsoft) names, in the official state_dict order; derived buffers left out. */
  official: (plan: CanonicalPlan): ReadonlyMap<string, LazyTensor> => plan.tensors,
  /** torchvision's SwinTransformer state dict (swin_t/s/b, swin_v2_t/s/b), its buffers included. */
  torchvision: (plan: CanonicalPlan): ReadonlyMap<string, LazyTensor> => toTorchvision(plan.tensors, plan.config),
} as const;

/** A naming scheme a conversion can write. */
export type OutputScheme = keyof typeof OUTPUT_SCHEMES;

/** The tensors to write under `scheme` (default official). */
export function outputTensors(plan: CanonicalPlan, scheme: OutputScheme = 'official'): ReadonlyMap<string, LazyTensor> {
  return OUTPUT_SCHEMES[scheme](plan);
}
