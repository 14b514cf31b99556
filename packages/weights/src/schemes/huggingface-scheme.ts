import { WeightError } from '@swin/core';
import { concatLazy, derivedLazy, type LazyTensor } from '../tensors/lazy-tensor.js';
import { putUnique } from './naming-scheme.js';

const BLOCK_RENAMES: readonly [RegExp, string][] = [
  [/^layernorm_before\./, 'norm1.'],
  [/^layernorm_after\./, 'norm2.'],
  [/^attention\.self\.relative_position_(bias_table|index)$/, 'attn.relative_position_$1'],
  [/^attention\.output\.dense\./, 'attn.proj.'],
  [/^intermediate\.dense\./, 'mlp.fc1.'],
  [/^output\.dense\./, 'mlp.fc2.'],
];

/**
 * Hugging Face (SwinModel / SwinForImageClassification) to canonical. HF splits attention into
 * query / key / value Linear layers whose rows are exactly the official qkv's [0:C], [C:2C],
 * [2C:3C], so they are concatenated back; the rest is renaming (layernorm_before/after = norm1/2,
 * intermediate/output.dense = mlp.fc1/fc2, swin.layernorm = norm, classifier = head).
 */
export function fromHuggingFace(tensors: ReadonlyMap<string, LazyTensor>, notes: string[]): Map<string, LazyTensor> {
  const out = new Map<string, LazyTensor>();
  // Per block and kind ("layers.0.blocks.1.attn.qkv.weight"), the query / key / value parts.
  const qkv = new Map<string, Map<string, [string, LazyTensor]>>();
  for (const [name, t] of tensors) {
    const n = name.startsWith('swin.') ? name.slice(5) : name;
    let target: string | undefined;
    let m: RegExpExecArray | null;
    if ((m = /^embeddings\.patch_embeddings\.projection\.(weight|bias)$/.exec(n))) target = `patch_embed.proj.${m[1]}`;
    else if ((m = /^embeddings\.norm\.(weight|bias)$/.exec(n))) target = `patch_embed.norm.${m[1]}`;
    else if (n === 'embeddings.position_embeddings') {
      putUnique(out, 'absolute_pos_embed', positionEmbedding(t, notes), name);
      continue;
    } else if (n === 'embeddings.mask_token') {
      notes.push(`'${name}' (masked-image-modeling token) is not used for inference (dropped)`);
      continue;
    } else if ((m = /^encoder\.layers\.(\d+)\.blocks\.(\d+)\.(.+)$/.exec(n))) {
      const block = `layers.${m[1]}.blocks.${m[2]}`;
      const rest = m[3]!;
      const part = /^attention\.self\.(query|key|value)\.(weight|bias)$/.exec(rest);
      if (part) {
        const key = `${block}.attn.qkv.${part[2]}`;
        if (!qkv.has(key)) qkv.set(key, new Map());
        qkv.get(key)!.set(part[1]!, [name, t]);
        continue;
      }
      const rule = BLOCK_RENAMES.find(([re]) => re.test(rest));
      if (rule) target = `${block}.${rest.replace(rule[0], rule[1])}`;
    } else if ((m = /^encoder\.layers\.(\d+)\.downsample\.((?:reduction|norm)\.(?:weight|bias))$/.exec(n))) {
      target = `layers.${m[1]}.downsample.${m[2]}`;
    } else if ((m = /^layernorm\.(weight|bias)$/.exec(n))) target = `norm.${m[1]}`;
    else if ((m = /^classifier\.(weight|bias)$/.exec(n))) target = `head.${m[1]}`;
    if (target === undefined) {
      notes.push(`'${name}' is not a Hugging Face Swin name (kept as is)`);
      target = name;
    }
    putUnique(out, target, t, name);
  }
  for (const [key, parts] of qkv) {
    const missing = ['query', 'key', 'value'].filter((p) => !parts.has(p));
    if (missing.length > 0) {
      const [someName] = [...parts.values()][0]!;
      const missingName = someName.replace(/\.(query|key|value)\./, `.${missing[0]}.`);
      throw new WeightError('MISSING_WEIGHT', missingName, `missing weight '${missingName}': '${someName}' needs its query, key and value siblings to form '${key}'`);
    }
    putUnique(out, key, concatLazy(['query', 'key', 'value'].map((p) => parts.get(p)![1])), key);
  }
  return out;
}

/** HF allots (1, L+1, C) with a class-token slot first (unused by Swin); the official layout is (1, L, C). */
function positionEmbedding(t: LazyTensor, notes: string[]): LazyTensor {
  const [one, rows, c] = t.shape as [number, number, number];
  const side = Math.round(Math.sqrt(rows - 1));
  if (t.shape.length !== 3 || side * side !== rows - 1 || Math.round(Math.sqrt(rows)) ** 2 === rows) return t;
  notes.push(`'embeddings.position_embeddings' has ${rows} rows: the first (a class-token slot) is dropped`);
  return derivedLazy(t.dtype, [one, rows - 1, c], () => {
    const d = t.load();
    return { dtype: d.dtype, shape: [one, rows - 1, c], data: d.data.slice(c) } as typeof d;
  });
}
