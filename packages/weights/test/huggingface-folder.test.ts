// Hugging Face model folders: config.json's architecture, labels and image size with the weights
// beside it, checked against PyTorch's float64 logits of the fixture they are made from.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logSpacedRelativeCoords, relativePositionIndex, tensor, type TensorData } from '@swin/core';
import { parseHuggingFaceConfig, readCheckpoint, writeSafetensors, type LoadOptions } from '../src/index.js';
import { locateCheckpoint, readWeightsFile } from '../src/node/index.js';
import { inputTensor, maxAbsDiff, readNpy, runReference } from './helpers/fixtures.js';
import { HF_FOLDER_FIXTURES, hfFolderLabels, huggingFaceFolders } from './helpers/huggingface-folder.js';

const { folder, track, cleanup } = huggingFaceFolders();
afterAll(cleanup);

/** What a folder path loads as: its weights file read with its config.json declared. */
function readFolder(dir: string, options: LoadOptions = {}) {
  const location = locateCheckpoint(dir);
  return { location, loaded: readWeightsFile(location.file, { ...options, ...(location.huggingFace ? { declared: location.huggingFace.declared } : {}) }) };
}

/**
 * The V2 folder with HF-named relative_position_index / relative_coords_table buffers kept in its
 * weights (as early transformers Swinv2 saved them), built for window 4 and `pretrainedWindows`.
 */
function v2FolderWithBuffers(change: Record<string, unknown> = {}, pretrainedWindows = [3, 2]): string {
  const dir = folder('v2', change);
  const file = join(dir, 'model.safetensors');
  const tensors = new Map<string, TensorData>(readCheckpoint(new Uint8Array(readFileSync(file))).tensors);
  const index = tensor('int64', [16, 16], BigInt64Array.from(relativePositionIndex(4, 4).data, (v) => BigInt(v)));
  pretrainedWindows.forEach((pretrained, stage) => {
    const table = tensor('float32', [1, 7, 7, 2], logSpacedRelativeCoords(4, pretrained).data);
    for (const block of [0, 1]) {
      tensors.set(`swinv2.encoder.layers.${stage}.blocks.${block}.attention.self.relative_position_index`, index);
      tensors.set(`swinv2.encoder.layers.${stage}.blocks.${block}.attention.self.relative_coords_table`, table);
    }
  });
  writeFileSync(file, writeSafetensors(tensors, { format: 'pt' }));
  return dir;
}

describe('Hugging Face model folders', () => {
  for (const [kind, file] of [['v1', 'model.safetensors'], ['v1', 'pytorch_model.bin'], ['v2', 'model.safetensors']] as const) {
    it(`${kind} ${file}: the folder's architecture, labels and image size; logits as PyTorch float64`, async () => {
      const { location, loaded } = readFolder(folder(kind, {}, file));
      expect(location.file.endsWith(file)).toBe(true);
      expect(location.huggingFace!.labels).toEqual(hfFolderLabels(kind));
      expect(location.huggingFace!.imageSize).toEqual([32, 32]);
      expect(loaded.scheme).toBe('huggingface');
      expect(loaded.warnings).toEqual([]);
      const fixture = HF_FOLDER_FIXTURES[kind];
      const input = inputTensor(join(fixture, 'input.npy'));
      const logits = await runReference(loaded.config, loaded.weights, input);
      const err = maxAbsDiff(logits.data as Float32Array, readNpy(join(fixture, 'logits_f64.npy')).data as Float64Array);
      console.log(`HF ${kind} folder (${file}): max |logits - PyTorch float64| = ${err.toExponential(2)}`);
      expect(err).toBeLessThan(kind === 'v1' ? 1e-5 : 1e-4);
    });
  }

  it("config.json's pretrained_window_sizes are what makes the V2 logits right (the weights cannot tell them)", async () => {
    const { loaded } = readFolder(folder('v2', { pretrained_window_sizes: [0, 0] }));
    const fixture = HF_FOLDER_FIXTURES.v2;
    const logits = await runReference(loaded.config, loaded.weights, inputTensor(join(fixture, 'input.npy')));
    expect(maxAbsDiff(logits.data as Float32Array, readNpy(join(fixture, 'logits_f64.npy')).data as Float64Array)).toBeGreaterThan(1e-3);
  });

  it('takes what the weights cannot tell from config.json: a Swin V2 window, pretrained windows, image size', () => {
    const { loaded } = readFolder(folder('v2'));
    expect(loaded.config).toMatchObject({ family: 'swin_v2', window_size: 4, pretrained_window_sizes: [3, 2], img_size: 32, embed_dim: 8 });
    // The same weights without config.json cannot tell the window.
    const bare = folder('v2');
    expect(() => readWeightsFile(join(bare, 'model.safetensors'))).toThrow(/cannot infer Swin V2 window_size/);
    // V1: a size whose stages keep the weights' windows is taken as the folder says.
    expect(readFolder(folder('v1', { image_size: 64 })).loaded.config.img_size).toBe(64);
    expect(readFolder(folder('v1', { image_size: [32, 64] })).loaded.config.img_size).toEqual([32, 64]);
  });

  it('a key on which config.json and the weights disagree is an error naming it and both values', () => {
    expect(() => readFolder(folder('v1', { window_size: 7 }))).toThrow(/config\.json: window_size is 7 but the weights have 4$/);
    expect(() => readFolder(folder('v2', { embed_dim: 16, hidden_size: 32 }))).toThrow(/config\.json: embed_dim is 16 but the weights have 8$/);
    expect(() => readFolder(folder('v1', { depths: [2, 4], num_layers: 2 }))).toThrow(/depths is \[2,4\] but the weights have \[2,2\]/);
    expect(() => readFolder(folder('v2', { qkv_bias: false }))).toThrow(/qkv_bias is false but the weights have true/);
    // 16 px: the last stage (2x2) would shrink the window to 2, but the weights' bias tables are for 4.
    expect(() => readFolder(folder('v1', { image_size: 16 }))).toThrow(/image_size is 16 but the weights have 32/);
    // The caller's overrides still win (and are not checked against config.json).
    expect(readFolder(folder('v1', { image_size: 64 }), { config: { img_size: 32 } }).loaded.config.img_size).toBe(32);
  });

  it("a V2 file's window buffers are checked against config.json's window_size and pretrained_window_sizes", async () => {
    const { loaded } = readFolder(v2FolderWithBuffers());
    expect(loaded.config).toMatchObject({ window_size: 4, pretrained_window_sizes: [3, 2] });
    expect(loaded.warnings).toEqual([]);
    const logits = await runReference(loaded.config, loaded.weights, inputTensor(join(HF_FOLDER_FIXTURES.v2, 'input.npy')));
    expect(maxAbsDiff(logits.data as Float32Array, readNpy(join(HF_FOLDER_FIXTURES.v2, 'logits_f64.npy')).data as Float64Array)).toBeLessThan(1e-4);
    expect(() => readFolder(v2FolderWithBuffers({ window_size: 8 }))).toThrow(/config\.json: window_size is 8 but the weights have 4 \(their layers\.0\.blocks\.0\.attn\.relative_position_index\)$/);
    expect(() => readFolder(v2FolderWithBuffers({ pretrained_window_sizes: [3, 0] }))).toThrow(
      /config\.json: pretrained_window_sizes is \[3,0\] but the weights have \[3,2\] \(their layers\.1\.blocks\.0\.attn\.relative_coords_table\)$/,
    );
    // A pretrained window equal to the block's own makes the same table as 0.
    expect(readFolder(v2FolderWithBuffers({ pretrained_window_sizes: [3, 4] }, [3, 0])).loaded.config).toMatchObject({ pretrained_window_sizes: [3, 4] });
    expect(() => readFolder(v2FolderWithBuffers({ pretrained_window_sizes: [3, 3] }, [3, 0]))).toThrow(/pretrained_window_sizes is \[3,3\] but the weights have \[3,0\]/);
  });

  it('a model_type of the other family, or one we do not run, is refused by name', () => {
    expect(() => readFolder(folder('v1', { model_type: 'swinv2' }))).toThrow(/declares a Swin V2 model but the weights are Swin V1/);
    expect(() => readFolder(folder('v1', { model_type: 'vit' }))).toThrow(/config\.json: model_type: expected "swin" or "swinv2", found "vit"/);
    expect(() => readFolder(folder('v1', { model_type: undefined }))).toThrow(/model_type: expected "swin" or "swinv2", found undefined/);
  });

  it('unsupported values are refused by key; inference-free keys accepted; unknown keys reported', () => {
    const parse = (json: object) => parseHuggingFaceConfig(JSON.stringify({ model_type: 'swin', ...json }), 'c.json');
    expect(() => parse({ hidden_act: 'relu' })).toThrow(/c\.json: hidden_act: expected "gelu"/);
    expect(() => parse({ layer_norm_eps: 1e-6 })).toThrow(/layer_norm_eps: expected 1e-5/);
    expect(() => parse({ patch_size: [4, 2] })).toThrow(/patch_size: expected a square patch/);
    expect(() => parse({ depths: new Array(17).fill(2) })).toThrow(/depths: expected a list of 1 to 16 integers/);
    expect(() => parse({ depths: [2, 2], num_layers: 4 })).toThrow(/num_layers: expected 2/);
    expect(() => parse({ embed_dim: 96, depths: [2, 2, 6, 2], hidden_size: 96 })).toThrow(/hidden_size: expected 768/);
    expect(() => parse({ pruned_heads: { 0: [1] } })).toThrow(/pruned_heads: expected \{\}/);
    expect(() => parse({ id2label: { 0: 'a', 2: 'b' } })).toThrow(/c\.json: id2label: expected class indices 0\.\.1/);
    expect(() => parse({ id2label: Object.fromEntries(Array.from({ length: 100_001 }, (_, i) => [i, 'x'])) })).toThrow(/id2label: expected at most 100000 classes/);
    expect(() => parseHuggingFaceConfig('[1]', 'c.json')).toThrow(/c\.json: expected a JSON object/);
    expect(() => parseHuggingFaceConfig('{', 'c.json')).toThrow(/c\.json: expected JSON/);
    expect(() => parseHuggingFaceConfig(new Uint8Array(16 * 1024 ** 2 + 1), 'c.json')).toThrow(/at most 16777216 bytes/);
    const ok = parse({ hidden_dropout_prob: 0.1, drop_path_rate: 0.2, out_indices: [1], something_new: 1 });
    expect(ok.declared.values).toEqual({});
    expect(ok.declared.notes).toEqual(['c.json: keys not read (they are not Swin architecture keys we know): something_new']);
  });

  it('a folder without weights or config.json is an error naming what was looked for', () => {
    const empty = track(mkdtempSync(join(tmpdir(), 'hf-empty-')));
    expect(() => locateCheckpoint(empty)).toThrow(/is a folder without weights: expected model\.safetensors or pytorch_model\.bin/);
    writeFileSync(join(empty, 'model.safetensors.index.json'), '{}');
    expect(() => locateCheckpoint(empty)).toThrow(/sharded checkpoints \(model\.safetensors\.index\.json\) are not supported/);
    const noConfig = folder('v1');
    rmSync(join(noConfig, 'config.json'));
    expect(() => locateCheckpoint(noConfig)).toThrow(/is a folder without config\.json/);
    // model.safetensors is preferred when both are there.
    const both = folder('v1', {}, 'pytorch_model.bin');
    writeFileSync(join(both, 'model.safetensors'), 'not read');
    expect(locateCheckpoint(both).file).toBe(join(both, 'model.safetensors'));
  });
});
