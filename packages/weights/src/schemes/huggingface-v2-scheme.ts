import { WeightError } from '@swin/core';
import { concatLazy, derivedLazy, type LazyTensor } from '../tensors/lazy-tensor.js';
import { putUnique } from './naming-scheme.js';

const BLOCK_RENAMES: readonly [RegExp, string][] = [
  // Swin V2 applies these norms after attention / after the MLP (post-norm); HF kept V1's names.
  [/^layernorm_before\./, 'norm1.'],
  [/^layernorm_after\./, 'norm2.'],
  [/^attention\.self\.logit_scale$/, 'attn.logit_scale'],
  [/^attention\.self\.continuous_position_bias_mlp\.(0\.weight|0\.bias|2\.weight)$/, 'attn.cpb_mlp.$1'],
  // Derived buffers: renamed so core can read the windows off them; they are never weights.
  [/^attention\.self\.relative_(coords_table|position_index)$/, 'attn.relative_$1'],
  [/^attention\.output\.dense\./, 'attn.proj.'],
  [/^intermediate\.dense\./, 'mlp.fc1.'],
  [/^output\.dense\./, 'mlp.fc2.'],
];

/** True when the names are Hugging Face Swin V2 (Swinv2Model / Swinv2ForImageClassification). */
export function isHuggingFaceSwinV2(names: readonly string[]): boolean {
  return names.some((n) => n.startsWith('swinv2.') || n.includes('.attention.self.continuous_position_bias_mlp.'));
}

/**
 * Hugging Face Swin V2 to canonical (official microsoft/Swin-Transformer swin_transformer_v2.py names).
 * HF splits attention into query / key / value Linear layers: their weights are the official qkv's
 * row blocks [0:C], [C:2C], [2C:3C] and are concatenated back; V2 learns no key bias, so query.bias
 * is `attn.q_bias` and value.bias `attn.v_bias` (a key.bias, which HF does not have, must be zero
 * and is dropped). logit_scale, the position MLP (continuous_position_bias_mlp.{0,2} = cpb_mlp.{0,2})
 * and the rest are renames: layernorm_before/after = norm1/norm2, intermediate/output.dense =
 * mlp.fc1/fc2, downsample.{reduction,norm} keep their names, swinv2.layernorm = norm, classifier = head.
 */
export function fromHuggingFaceV2(tensors: ReadonlyMap<string, LazyTensor>, notes: string[]): Map<string, LazyTensor> {
  const out = new Map<string, LazyTensor>();
  // Per block ("layers.0.blocks.1"), the query / key / value weights.
  const qkv = new Map<string, Map<string, [string, LazyTensor]>>();
  for (const [name, t] of tensors) {
    const n = name.startsWith('swinv2.') ? name.slice('swinv2.'.length) : name;
    let target: string | undefined;
    let m: RegExpExecArray | null;
    if ((m = /^embeddings\.patch_embeddings\.projection\.(weight|bias)$/.exec(n))) target = `patch_embed.proj.${m[1]}`;
    else if ((m = /^embeddings\.norm\.(weight|bias)$/.exec(n))) target = `patch_embed.norm.${m[1]}`;
    else if (n === 'embeddings.position_embeddings') {
      putUnique(out, 'absolute_pos_embed', withoutClassSlot(t, name, notes), name);
      continue;
    } else if (n === 'embeddings.mask_token') {
      notes.push(`'${name}' (masked-image-modeling token) is not used for inference (dropped)`);
      continue;
    } else if ((m = /^encoder\.layers\.(\d+)\.blocks\.(\d+)\.(.+)$/.exec(n))) {
      const block = `layers.${m[1]}.blocks.${m[2]}`;
      const rest = m[3]!;
      const part = /^attention\.self\.(query|key|value)\.(weight|bias)$/.exec(rest);
      if (part && part[2] === 'weight') {
        if (!qkv.has(block)) qkv.set(block, new Map());
        qkv.get(block)!.set(part[1]!, [name, t]);
        continue;
      }
      if (part && part[1] === 'key') {
        notes.push(`'${name}': Swin V2 has no key bias (the official code adds zeros there); dropped`);
        continue;
      }
      if (part) target = `${block}.attn.${part[1] === 'query' ? 'q' : 'v'}_bias`;
      else {
        const rule = BLOCK_RENAMES.find(([re]) => re.test(rest));
        if (rule) target = `${block}.${rest.replace(rule[0], rule[1])}`;
      }
    } else if ((m = /^encoder\.layers\.(\d+)\.downsample\.((?:reduction|norm)\.(?:weight|bias))$/.exec(n))) {
      target = `layers.${m[1]}.downsample.${m[2]}`;
    } else if ((m = /^layernorm\.(weight|bias)$/.exec(n))) target = `norm.${m[1]}`;
    else if ((m = /^classifier\.(weight|bias)$/.exec(n))) target = `head.${m[1]}`;
    if (target === undefined) {
      notes.push(`'${name}' is not a Hugging Face Swin V2 name (kept as is)`);
      target = name;
    }
    putUnique(out, target, t, name);
  }
  for (const [block, parts] of qkv) {
    const missing = ['query', 'key', 'value'].filter((p) => !parts.has(p));
    if (missing.length > 0) {
      const [someName] = [...parts.values()][0]!;
      const missingName = someName.replace(/\.(query|key|value)\./, `.${missing[0]}.`);
      throw new WeightError('MISSING_WEIGHT', missingName, `missing weight '${missingName}': '${someName}' needs its query, key and value siblings to form '${block}.attn.qkv.weight'`);
    }
    putUnique(out, `${block}.attn.qkv.weight`, concatLazy(['query', 'key', 'value'].map((p) => parts.get(p)![1])), block);
  }
  return out;
}

/** HF allots (1, L+1, C) position embeddings with a class-token slot first; the official layout is (1, L, C). */
function withoutClassSlot(t: LazyTensor, name: string, notes: string[]): LazyTensor {
  const [one, rows, c] = t.shape as [number, number, number];
  const side = Math.round(Math.sqrt(rows - 1));
  if (t.shape.length !== 3 || side * side !== rows - 1 || Math.round(Math.sqrt(rows)) ** 2 === rows) return t;
  notes.push(`'${name}' has ${rows} rows: the first (a class-token slot) is dropped`);
  return derivedLazy(t.dtype, [one, rows - 1, c], () => {
    const d = t.load();
    return { dtype: d.dtype, shape: [one, rows - 1, c], data: d.data.slice(c) } as typeof d;
  });
}
