import { dimsOf } from '@swin/core';
import { reshapeLazy, type LazyTensor } from '../tensors/lazy-tensor.js';
import { putUnique } from './naming-scheme.js';

/**
 * timm >= 0.9 to canonical: the PatchMerging that timm runs at the start of stage i (i >= 1) is the
 * official downsample at the end of stage i-1; `head.fc` is `head`; an NHWC absolute position
 * embedding (1, H, W, C) is flattened to the official (1, H*W, C).
 */
export function fromTimm(tensors: ReadonlyMap<string, LazyTensor>, notes: string[]): Map<string, LazyTensor> {
  const out = new Map<string, LazyTensor>();
  for (const [name, t] of tensors) {
    const ds = /^layers\.(\d+)\.downsample\.(.+)$/.exec(name);
    let target = name;
    let tensor = t;
    if (ds) {
      const stage = Number(ds[1]);
      if (stage === 0) notes.push(`'${name}': timm >= 0.9 has no downsample in the first stage (kept as is)`);
      else target = `layers.${stage - 1}.downsample.${ds[2]}`;
    } else if (name.startsWith('head.fc.')) {
      target = `head.${name.slice('head.fc.'.length)}`;
    } else if (name === 'absolute_pos_embed' && t.shape.length === 4) {
      const [n, h, w, c] = dimsOf(t.shape, 4, name);
      tensor = reshapeLazy(t, [n, h * w, c]);
    }
    putUnique(out, target, tensor, name);
  }
  return out;
}
