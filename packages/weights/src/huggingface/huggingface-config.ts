import { ConfigError, type ModelFamily } from '@swin/core';
import type { DeclaredConfig } from '../load/declared-config.js';
import { parseHuggingFaceJsonObject } from './huggingface-json.js';

/** The weight files of a Hugging Face model (a hub repo, a save_pretrained folder), safetensors first: it is read without any pickle. */
export const HUGGINGFACE_WEIGHT_FILES = ['model.safetensors', 'pytorch_model.bin'] as const;

/** Largest config.json read: ImageNet-22k's 21,841 class names take under 1 MB. */
export const MAX_HUGGINGFACE_CONFIG_BYTES = 16 * 1024 ** 2;
/** Most class names an id2label may hold. */
export const MAX_HUGGINGFACE_LABELS = 100_000;
/** Most stages a depths / num_heads / pretrained_window_sizes list may have. */
const MAX_STAGES = 16;

/** A transformers config.json of a Swin model, as our architecture, class names and input size. */
export interface HuggingFaceConfig {
  /** transformers' model_type ("swin", "swinv2"). */
  readonly modelType: string;
  readonly family: ModelFamily;
  /** The architecture keys it sets (official names), for PlanOptions.declared. */
  readonly declared: DeclaredConfig;
  /** id2label in index order; undefined without one. */
  readonly labels: readonly string[] | undefined;
  /** image_size as [H, W]: the size the model was trained at and its preprocessing crops to. */
  readonly imageSize: [number, number] | undefined;
}

type ReadValue = (value: unknown, fail: (expected: string) => never) => unknown;

const positiveInt: ReadValue = (v, fail) => (Number.isInteger(v) && (v as number) > 0 ? v : fail('a positive integer'));
const bool: ReadValue = (v, fail) => (typeof v === 'boolean' ? v : fail('true or false'));

/** An int or a list of two (transformers takes either); a square pair collapses to one number. */
const intOrPair: ReadValue = (v, fail) => {
  if (Number.isInteger(v) && (v as number) > 0) return v;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x) && x > 0)) return fail('a positive integer or [height, width]');
  return v[0] === v[1] ? v[0] : [v[0], v[1]];
};

function intList(min: number): ReadValue {
  return (v, fail) =>
    Array.isArray(v) && v.length >= 1 && v.length <= MAX_STAGES && v.every((x) => Number.isInteger(x) && x >= min) ? [...(v as number[])] : fail(`a list of 1 to ${MAX_STAGES} integers >= ${min}`);
}

/** How one config.json key maps to an official constructor argument. */
interface KeyRule {
  readonly official: string;
  readonly read: ReadValue;
}

const SHARED_KEYS: Readonly<Record<string, KeyRule>> = {
  image_size: { official: 'img_size', read: intOrPair },
  patch_size: {
    official: 'patch_size',
    read: (v, fail) => {
      const patch = intOrPair(v, fail);
      return typeof patch === 'number' ? patch : fail('a square patch (one integer)');
    },
  },
  num_channels: { official: 'in_chans', read: positiveInt },
  embed_dim: { official: 'embed_dim', read: positiveInt },
  depths: { official: 'depths', read: intList(1) },
  num_heads: { official: 'num_heads', read: intList(1) },
  window_size: { official: 'window_size', read: positiveInt },
  mlp_ratio: { official: 'mlp_ratio', read: (v, fail) => (typeof v === 'number' && v > 0 ? v : fail('a positive number')) },
  qkv_bias: { official: 'qkv_bias', read: bool },
  use_absolute_embeddings: { official: 'ape', read: bool },
  // transformers applies it to the blocks' and the final norms only (the patch embedding's and patch
  // merging's keep LayerNorm's 1e-5): one epsilon for all, as we compute, only when it is 1e-5.
  layer_norm_eps: { official: 'layer_norm_eps', read: (v, fail) => (v === 1e-5 ? v : fail('1e-5 (transformers uses it for some norms and 1e-5 for the others)')) },
};

/** The transformers model types we run, with the keys each reads. */
const MODEL_TYPES: Readonly<Record<string, { readonly family: ModelFamily; readonly keys: Readonly<Record<string, KeyRule>> }>> = {
  swin: { family: 'swin_v1', keys: SHARED_KEYS },
  swinv2: { family: 'swin_v2', keys: { ...SHARED_KEYS, pretrained_window_sizes: { official: 'pretrained_window_sizes', read: intList(0) } } },
};

/**
 * Keys that change nothing at inference (training, export and bookkeeping fields of transformers'
 * PretrainedConfig and SwinConfig/Swinv2Config), accepted as they are. `path_norm` is in Microsoft's
 * hub configs but transformers ignores it (its patch embedding always has a norm).
 */
const INFERENCE_IRRELEVANT = new Set([
  'architectures', 'model_type', 'transformers_version', 'torch_dtype', 'dtype', '_name_or_path', 'label2id', 'problem_type',
  'hidden_dropout_prob', 'attention_probs_dropout_prob', 'drop_path_rate', 'initializer_range', 'encoder_stride',
  'out_features', 'out_indices', 'stage_names', 'path_norm', 'return_dict', 'output_hidden_states', 'output_attentions',
  'torchscript', 'use_bfloat16', 'tie_word_embeddings', 'chunk_size_feed_forward', 'is_encoder_decoder', 'is_decoder',
  'add_cross_attention', 'finetuning_task', 'task_specific_params', 'tf_legacy_loss', 'use_mask_token',
]);

/** Keys read apart from the architecture table: class names, and values checked by checkDerivedKeys. */
const READ_APART = new Set(['id2label', 'num_layers', 'hidden_size', 'hidden_act', 'pruned_heads']);

/** Keys derived from others or fixed for every Swin: checked, as transformers would use them. */
function checkDerivedKeys(json: Record<string, unknown>, fail: (key: string, expected: string) => never): void {
  const depths = json['depths'];
  const stages = Array.isArray(depths) ? depths.length : 4;
  if ('num_layers' in json && json['num_layers'] !== stages) fail('num_layers', `${stages} (the number of depths)`);
  const embed = typeof json['embed_dim'] === 'number' ? json['embed_dim'] : 96;
  if ('hidden_size' in json && json['hidden_size'] !== embed * 2 ** (stages - 1)) fail('hidden_size', `${embed * 2 ** (stages - 1)} (embed_dim * 2^(stages - 1))`);
  if ('hidden_act' in json && json['hidden_act'] !== 'gelu') fail('hidden_act', '"gelu" (the exact GELU every Swin uses)');
  const pruned = json['pruned_heads'];
  if (pruned !== undefined && !(typeof pruned === 'object' && pruned !== null && Object.keys(pruned).length === 0)) fail('pruned_heads', '{} (no pruned heads)');
}

/** id2label as a list in index order: keys must be 0..N-1 (at most MAX_HUGGINGFACE_LABELS), values strings; a ConfigError naming `where` otherwise. */
export function parseId2Label(id2label: unknown, where: string): string[] | undefined {
  if (id2label === undefined) return undefined;
  const fail = (expected: string): never => {
    throw new ConfigError(`${where}: id2label: expected ${expected}, found ${JSON.stringify(id2label).slice(0, 80)}`);
  };
  if (typeof id2label !== 'object' || id2label === null || Array.isArray(id2label)) fail('an object of class index to name');
  const entries = Object.entries(id2label as Record<string, unknown>);
  if (entries.length > MAX_HUGGINGFACE_LABELS) fail(`at most ${MAX_HUGGINGFACE_LABELS} classes`);
  const labels = new Array<string>(entries.length);
  for (const [key, name] of entries) {
    const index = Number(key);
    if (!(String(index) === key && Number.isInteger(index) && index >= 0 && index < entries.length)) fail(`class indices 0..${entries.length - 1}`);
    labels[index] = typeof name === 'string' ? name : fail('class names as strings');
  }
  return labels;
}

/**
 * Reads a transformers config.json of a Swin (`model_type` "swin") or Swin V2 ("swinv2") model:
 * its architecture keys as official constructor arguments (to be checked against the weights),
 * id2label and image_size. An unknown model_type or an unsupported value is a one-line ConfigError
 * naming the key and what is supported; keys that do not change inference are accepted, and keys
 * we do not know are reported in `declared.notes`. Bounded: the file's size, list lengths and the
 * number of classes.
 */
export function parseHuggingFaceConfig(file: string | Uint8Array, where: string): HuggingFaceConfig {
  const config = parseHuggingFaceJsonObject(file, where, 'config.json', MAX_HUGGINGFACE_CONFIG_BYTES);
  // Typed on the name, so a bare `fail(...)` statement narrows as a throw does.
  const fail: (key: string, expected: string) => never = (key, expected) => {
    throw new ConfigError(`${where}: ${key}: expected ${expected}, found ${JSON.stringify(config[key])}`);
  };
  const modelType = config['model_type'];
  const type = typeof modelType === 'string' && Object.hasOwn(MODEL_TYPES, modelType) ? MODEL_TYPES[modelType] : undefined;
  if (!type) fail('model_type', Object.keys(MODEL_TYPES).map((t) => JSON.stringify(t)).join(' or '));
  checkDerivedKeys(config, fail);
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  const unread: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const rule = Object.hasOwn(type.keys, key) ? type.keys[key] : undefined;
    if (rule) {
      values[rule.official] = rule.read(value, (expected) => fail(key, expected));
      names[rule.official] = key;
    } else if (!INFERENCE_IRRELEVANT.has(key) && !READ_APART.has(key)) unread.push(key);
  }
  const img = values['img_size'] as number | [number, number] | undefined;
  return {
    modelType: modelType as string,
    family: type!.family,
    declared: { source: where, family: type!.family, values, names, ...(unread.length ? { notes: [`${where}: keys not read (they are not Swin architecture keys we know): ${unread.join(', ')}`] } : {}) },
    labels: parseId2Label(config['id2label'], where),
    imageSize: img === undefined ? undefined : typeof img === 'number' ? [img, img] : img,
  };
}
