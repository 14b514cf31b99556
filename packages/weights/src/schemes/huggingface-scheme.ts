import { MODEL_FAMILIES, SwinError, WeightError, type HuggingFaceNames } from '@swin/core';
import { concatLazy, derivedLazy, type LazyTensor } from '../tensors/lazy-tensor.js';
import { putUnique } from './naming-scheme.js';

/** Names every transformers Swin shares (after the family's prefix): [pattern, canonical replacement]. */
const SHARED_RENAMES: readonly (readonly [RegExp, string])[] = [
  [/^embeddings\.patch_embeddings\.projection\.(weight|bias)$/, 'patch_embed.proj.$1'],
  [/^embeddings\.norm\.(weight|bias)$/, 'patch_embed.norm.$1'],
  [/^encoder\.layers\.(\d+)\.downsample\.((?:reduction|norm)\.(?:weight|bias))$/, 'layers.$1.downsample.$2'],
  [/^layernorm\.(weight|bias)$/, 'norm.$1'],
  [/^classifier\.(weight|bias)$/, 'head.$1'],
];

const BLOCK = /^encoder\.layers\.(\d+)\.blocks\.(\d+)\.(.+)$/;
const SPLIT_ATTENTION = /^attention\.self\.(query|key|value)\.(weight|bias)$/;
const QKV_PARTS = ['query', 'key', 'value'] as const;

/** The registered families transformers has, each with its names. */
function huggingFaceFamilies(): HuggingFaceNames[] {
  return MODEL_FAMILIES.flatMap((f) => (f.checkpoint.huggingface ? [f.checkpoint.huggingface] : []));
}

/** Whose transformers names these are: the family whose marker one of them matches, else the family without a marker. */
export function huggingFaceNamesOf(names: readonly string[]): HuggingFaceNames {
  const families = huggingFaceFamilies();
  const marked = families.find((f) => f.marker && names.some((n) => f.marker!.test(n)));
  const found = marked ?? families.find((f) => !f.marker);
  // The registry has one unmarked family (a core test checks it); without it nothing can be told apart.
  if (!found) throw new SwinError('INVALID_FORMAT', `cannot tell the Hugging Face model: no registered family's marker matches these ${names.length} names`);
  return found;
}

/** The start of names only transformers uses: the patch embedding or an encoder layer (after a family's prefix). */
const HUGGING_FACE_NAME = /^(embeddings\.patch_embeddings\.|encoder\.layers\.\d+\.)/;

/** True for a transformers Swin name: see HUGGING_FACE_NAME, under any registered family's prefix or none, or a split attention. */
export function isHuggingFaceName(name: string): boolean {
  const unprefixed = huggingFaceFamilies().flatMap((f) => (name.startsWith(f.prefix) ? [name.slice(f.prefix.length)] : []));
  return [name, ...unprefixed].some((n) => HUGGING_FACE_NAME.test(n)) || name.includes('.attention.self.');
}

/** For messages: "Swin V2 (Swinv2*)". */
export function huggingFaceLabel(f: HuggingFaceNames): string {
  return f.classes ? `${f.label} (${f.classes})` : f.label;
}

/**
 * Hugging Face transformers to canonical, for the family the names belong to (its descriptor's
 * `checkpoint.huggingface` data: prefix, block renames, attention biases). transformers splits
 * attention into query / key / value Linear layers whose weights are the official qkv's row blocks
 * [0:C], [C:2C], [2C:3C]: they are concatenated back. Their biases too ('qkv'), or, for a family
 * that learns no key bias ('q-v', Swin V2), query.bias is attn.q_bias, value.bias attn.v_bias and a
 * key.bias (which must be zero) is dropped. The rest is renaming (layernorm_before/after = norm1/2,
 * intermediate/output.dense = mlp.fc1/fc2, layernorm = norm, classifier = head).
 */
export function fromHuggingFace(tensors: ReadonlyMap<string, LazyTensor>, notes: string[]): Map<string, LazyTensor> {
  const family = huggingFaceNamesOf([...tensors.keys()]);
  const out = new Map<string, LazyTensor>();
  // Per canonical qkv tensor ("layers.0.blocks.1.attn.qkv.weight"), the query / key / value parts.
  const qkv = new Map<string, Map<string, [string, LazyTensor]>>();
  for (const [name, t] of tensors) {
    const n = name.startsWith(family.prefix) ? name.slice(family.prefix.length) : name;
    let target: string | undefined;
    const block = BLOCK.exec(n);
    if (n === 'embeddings.position_embeddings') {
      putUnique(out, 'absolute_pos_embed', withoutClassSlot(t, name, notes), name);
      continue;
    } else if (n === 'embeddings.mask_token') {
      notes.push(`'${name}' (masked-image-modeling token) is not used for inference (dropped)`);
      continue;
    } else if (block) {
      const [, stage, index, rest = ''] = block;
      const prefix = `layers.${stage}.blocks.${index}`;
      const part = SPLIT_ATTENTION.exec(rest);
      const [, which = '', kind = ''] = part ?? [];
      if (part && (kind === 'weight' || family.attentionBias === 'qkv')) {
        const key = `${prefix}.attn.qkv.${kind}`;
        const parts = qkv.get(key) ?? new Map<string, [string, LazyTensor]>();
        qkv.set(key, parts.set(which, [name, t]));
        continue;
      }
      if (part && which === 'key') {
        notes.push(`'${name}': ${family.label} has no key bias (the official code adds zeros there); dropped`);
        continue;
      }
      if (part) target = `${prefix}.attn.${which === 'query' ? 'q' : 'v'}_bias`;
      else {
        const rule = family.blockRenames.find(([re]) => re.test(rest));
        if (rule) target = `${prefix}.${rest.replace(rule[0], rule[1])}`;
      }
    } else {
      const rule = SHARED_RENAMES.find(([re]) => re.test(n));
      if (rule) target = n.replace(rule[0], rule[1]);
    }
    if (target === undefined) {
      notes.push(`'${name}' is not a Hugging Face ${family.label} name (kept as is)`);
      target = name;
    }
    putUnique(out, target, t, name);
  }
  for (const [key, parts] of qkv) putUnique(out, key, concatLazy(qkvParts(key, parts)), key);
  return out;
}

/** The query, key and value parts in that order; a missing one is named after a present sibling. */
function qkvParts(key: string, parts: ReadonlyMap<string, [string, LazyTensor]>): LazyTensor[] {
  return QKV_PARTS.map((p) => {
    const found = parts.get(p);
    if (found) return found[1];
    // qkv only holds keys with at least one part.
    const [someName] = [...parts.values()][0]!;
    const missingName = someName.replace(/\.(query|key|value)\./, `.${p}.`);
    throw new WeightError('MISSING_WEIGHT', missingName, `missing weight '${missingName}': '${someName}' needs its query, key and value siblings to form '${key}'`);
  });
}

/** transformers allots (1, L+1, C) position embeddings with a class-token slot first (unused by Swin); the official layout is (1, L, C). */
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
