// Hugging Face model folders (config.json + weights under transformers' names) made from the
// committed fixtures, for the tests of @swin/weights, @swin/pipeline and the CLI.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensor, type TensorData } from '@swin/core';
import { readCheckpoint, writeSafetensors } from '../../src/index.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures');

function rows(t: TensorData, from: number, to: number): TensorData {
  const cols = t.shape[1]!;
  return tensor('float32', [to - from, cols], (t.data as Float32Array).slice(from * cols, to * cols));
}

/** A Swin V2 state dict in canonical (official) names under transformers' Swinv2ForImageClassification names. */
export function toHuggingFaceV2Names(sd: ReadonlyMap<string, TensorData>): Map<string, TensorData> {
  const out = new Map<string, TensorData>();
  for (const [name, t] of sd) {
    let m: RegExpExecArray | null;
    if ((m = /^patch_embed\.proj\.(.+)$/.exec(name))) out.set(`swinv2.embeddings.patch_embeddings.projection.${m[1]}`, t);
    else if ((m = /^patch_embed\.norm\.(.+)$/.exec(name))) out.set(`swinv2.embeddings.norm.${m[1]}`, t);
    else if ((m = /^layers\.(\d+)\.blocks\.(\d+)\.(.+)$/.exec(name))) {
      const pre = `swinv2.encoder.layers.${m[1]}.blocks.${m[2]}.`;
      const rest = m[3]!;
      if (rest === 'attn.qkv.weight') {
        const c = t.shape[1]!;
        out.set(`${pre}attention.self.query.weight`, rows(t, 0, c));
        out.set(`${pre}attention.self.key.weight`, rows(t, c, 2 * c));
        out.set(`${pre}attention.self.value.weight`, rows(t, 2 * c, 3 * c));
      } else if (rest === 'attn.q_bias') out.set(`${pre}attention.self.query.bias`, t);
      else if (rest === 'attn.v_bias') out.set(`${pre}attention.self.value.bias`, t);
      else {
        const hf = rest
          .replace(/^norm1\./, 'layernorm_before.')
          .replace(/^norm2\./, 'layernorm_after.')
          .replace(/^attn\.logit_scale$/, 'attention.self.logit_scale')
          .replace(/^attn\.cpb_mlp\./, 'attention.self.continuous_position_bias_mlp.')
          .replace(/^attn\.proj\./, 'attention.output.dense.')
          .replace(/^mlp\.fc1\./, 'intermediate.dense.')
          .replace(/^mlp\.fc2\./, 'output.dense.');
        out.set(pre + hf, t);
      }
    } else if ((m = /^layers\.(\d+)\.downsample\.(.+)$/.exec(name))) out.set(`swinv2.encoder.layers.${m[1]}.downsample.${m[2]}`, t);
    else if ((m = /^norm\.(.+)$/.exec(name))) out.set(`swinv2.layernorm.${m[1]}`, t);
    else if ((m = /^head\.(.+)$/.exec(name))) out.set(`classifier.${m[1]}`, t);
    else throw new Error(`no HF name for ${name}`);
  }
  return out;
}

/** The fixture each folder kind is made from (its input.npy and logits_f64.npy are the expected answers). */
export const HF_FOLDER_FIXTURES = { v1: join(FIXTURES, 'v1_rand_t32_w4'), v2: join(FIXTURES, 'v2_rand_pws_t32_w4') } as const;

/** The class names the folders' config.json give (id2label). */
export function hfFolderLabels(kind: 'v1' | 'v2'): string[] {
  return Array.from({ length: 10 }, (_, i) => `${kind} class ${i}`);
}

/** The config.json of the fixture model, as transformers' save_pretrained writes it. */
function fixtureConfig(kind: 'v1' | 'v2'): Record<string, unknown> {
  const c = JSON.parse(readFileSync(join(HF_FOLDER_FIXTURES[kind], 'config.json'), 'utf8')) as Record<string, unknown>;
  const labels = hfFolderLabels(kind);
  return {
    architectures: [kind === 'v1' ? 'SwinForImageClassification' : 'Swinv2ForImageClassification'],
    model_type: kind === 'v1' ? 'swin' : 'swinv2',
    image_size: c['img_size'],
    patch_size: c['patch_size'],
    num_channels: c['in_chans'],
    embed_dim: c['embed_dim'],
    depths: c['depths'],
    num_heads: c['num_heads'],
    num_layers: (c['depths'] as number[]).length,
    hidden_size: (c['embed_dim'] as number) * 2 ** ((c['depths'] as number[]).length - 1),
    window_size: c['window_size'],
    ...(kind === 'v2' ? { pretrained_window_sizes: c['pretrained_window_sizes'] } : {}),
    mlp_ratio: c['mlp_ratio'],
    qkv_bias: c['qkv_bias'],
    hidden_act: 'gelu',
    hidden_dropout_prob: 0,
    attention_probs_dropout_prob: 0,
    drop_path_rate: 0.1,
    use_absolute_embeddings: c['ape'],
    layer_norm_eps: 1e-5,
    initializer_range: 0.02,
    encoder_stride: 32,
    path_norm: true,
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
    torch_dtype: 'float32',
    transformers_version: '4.46.0',
  };
}

/**
 * A temporary Hugging Face model folder of the v1 or v2 fixture: its weights under transformers'
 * names (V1: the committed fixtures/schemes/hf_model.safetensors or hf_pytorch_model.bin; V2: the
 * fixture's weights renamed) and a config.json; `change` sets (or, with undefined, removes) keys.
 */
export function makeHuggingFaceFolder(kind: 'v1' | 'v2', change: Record<string, unknown> = {}, weightsFile: 'model.safetensors' | 'pytorch_model.bin' = 'model.safetensors'): string {
  const dir = mkdtempSync(join(tmpdir(), `hf-${kind}-`));
  if (kind === 'v1') copyFileSync(join(FIXTURES, 'schemes', weightsFile === 'model.safetensors' ? 'hf_model.safetensors' : 'hf_pytorch_model.bin'), join(dir, weightsFile));
  else {
    if (weightsFile !== 'model.safetensors') throw new Error('the v2 folder is written as safetensors only');
    const canonical = readCheckpoint(new Uint8Array(readFileSync(join(HF_FOLDER_FIXTURES.v2, 'weights.safetensors')))).tensors;
    writeFileSync(join(dir, weightsFile), writeSafetensors(toHuggingFaceV2Names(canonical), { format: 'pt' }));
  }
  const config = fixtureConfig(kind);
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) delete config[k];
    else config[k] = v;
  }
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}

/** Folders made (and other temporary paths tracked) by one test file, removed together by cleanup(). */
export function huggingFaceFolders(): { folder: typeof makeHuggingFaceFolder; track(path: string): string; cleanup(): void } {
  const made: string[] = [];
  return {
    folder: (...args) => {
      const dir = makeHuggingFaceFolder(...args);
      made.push(dir);
      return dir;
    },
    track: (path) => (made.push(path), path),
    cleanup: () => {
      for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
    },
  };
}
