import { dimAt, dimsOf } from '@swin/core';
import { reshapeLazy, sliceRowsLazy, type LazyTensor } from '../tensors/lazy-tensor.js';
import { putUnique } from './naming-scheme.js';

/**
 * torchvision to canonical. torchvision's `features` Sequential interleaves the stem (0: conv, 1:
 * permute, 2: LayerNorm), the stages (odd indices: blocks) and PatchMerging (even indices >= 2), and
 * names the MLP as a Sequential (mlp.0 = fc1, mlp.3 = fc2). Its relative_position_index buffers are
 * flattened (N*N,); they are derived buffers, reshaped to the official (N, N) to be checked (and to
 * tell a Swin V2 window), not kept.
 *
 * Swin V2 blocks (swin_v2_t/s/b: an `attn.logit_scale` beside them) keep one qkv.bias of 3C whose
 * middle (key) third torchvision zeroes before every use: its first and last thirds are the
 * official q_bias and v_bias, the key third is dropped. torchvision's PatchMergingV2 (reduction,
 * then a 2C LayerNorm) has the official V2 downsample's names and order.
 */
export function fromTorchvision(tensors: ReadonlyMap<string, LazyTensor>, notes: string[]): Map<string, LazyTensor> {
  const out = new Map<string, LazyTensor>();
  let keyThirds = 0;
  for (const [name, t] of tensors) {
    let target: string | undefined;
    let tensor = t;
    let m: RegExpExecArray | null;
    if ((m = /^features\.0\.([02])\.(weight|bias)$/.exec(name))) {
      target = `patch_embed.${m[1] === '0' ? 'proj' : 'norm'}.${m[2]}`;
    } else if ((m = /^features\.(\d+)\.(\d+)\.(.+)$/.exec(name)) && Number(m[1]) % 2 === 1) {
      const block = `layers.${(Number(m[1]) - 1) / 2}.blocks.${m[2]}`;
      // The pattern's three groups always take part in a match.
      const rest = m[3]!.replace(/^mlp\.0\./, 'mlp.fc1.').replace(/^mlp\.3\./, 'mlp.fc2.');
      if (rest === 'attn.qkv.bias' && tensors.has(`features.${m[1]}.${m[2]}.attn.logit_scale`) && t.shape.length === 1 && dimAt(t.shape, 0, name) % 3 === 0) {
        const c = dimAt(t.shape, 0, name) / 3;
        putUnique(out, `${block}.attn.q_bias`, sliceRowsLazy(t, 0, c), name);
        putUnique(out, `${block}.attn.v_bias`, sliceRowsLazy(t, 2 * c, 3 * c), name);
        keyThirds++;
        continue;
      }
      target = `${block}.${rest}`;
      if (rest === 'attn.relative_position_index') tensor = squareIndex(t);
    } else if ((m = /^features\.(\d+)\.((?:reduction|norm)\..+)$/.exec(name)) && Number(m[1]) % 2 === 0 && Number(m[1]) >= 2) {
      target = `layers.${(Number(m[1]) - 2) / 2}.downsample.${m[2]}`;
    } else if (/^(norm|head)\./.test(name)) {
      target = name;
    }
    if (target === undefined) {
      notes.push(`'${name}' is not a torchvision Swin name (kept as is)`);
      target = name;
    }
    putUnique(out, target, tensor, name);
  }
  if (keyThirds > 0) notes.push(`Swin V2 'attn.qkv.bias' of ${keyThirds} blocks: the key third (zeroed by torchvision before every use) is dropped; the rest is q_bias and v_bias`);
  return out;
}

/** torchvision's flattened (N*N,) index as the official (N, N); left as it is when N*N is not a square. */
function squareIndex(t: LazyTensor): LazyTensor {
  if (t.shape.length !== 1) return t;
  const [count] = dimsOf(t.shape, 1, 'relative_position_index');
  const n = Math.round(Math.sqrt(count));
  return n * n === count ? reshapeLazy(t, [n, n]) : t;
}
