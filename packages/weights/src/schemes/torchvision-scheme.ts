import type { LazyTensor } from '../tensors/lazy-tensor.js';
import { putUnique } from './naming-scheme.js';

/**
 * torchvision to canonical. torchvision's `features` Sequential interleaves the stem (0: conv, 1:
 * permute, 2: LayerNorm), the stages (odd indices: blocks) and PatchMerging (even indices >= 2), and
 * names the MLP as a Sequential (mlp.0 = fc1, mlp.3 = fc2). Its relative_position_index buffers are
 * flattened (N*N,); they are derived buffers and get checked, not kept.
 */
export function fromTorchvision(tensors: ReadonlyMap<string, LazyTensor>, notes: string[]): Map<string, LazyTensor> {
  const out = new Map<string, LazyTensor>();
  for (const [name, t] of tensors) {
    let target: string | undefined;
    let m: RegExpExecArray | null;
    if ((m = /^features\.0\.([02])\.(weight|bias)$/.exec(name))) {
      target = `patch_embed.${m[1] === '0' ? 'proj' : 'norm'}.${m[2]}`;
    } else if ((m = /^features\.(\d+)\.(\d+)\.(.+)$/.exec(name)) && Number(m[1]) % 2 === 1) {
      const rest = m[3]!.replace(/^mlp\.0\./, 'mlp.fc1.').replace(/^mlp\.3\./, 'mlp.fc2.');
      target = `layers.${(Number(m[1]) - 1) / 2}.blocks.${m[2]}.${rest}`;
    } else if ((m = /^features\.(\d+)\.((?:reduction|norm)\..+)$/.exec(name)) && Number(m[1]) % 2 === 0 && Number(m[1]) >= 2) {
      target = `layers.${(Number(m[1]) - 2) / 2}.downsample.${m[2]}`;
    } else if (/^(norm|head)\./.test(name)) {
      target = name;
    }
    if (target === undefined) {
      notes.push(`'${name}' is not a torchvision Swin name (kept as is)`);
      target = name;
    }
    putUnique(out, target, t, name);
  }
  return out;
}
