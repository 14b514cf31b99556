import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SwinError } from '@swin/core';
import { HUGGINGFACE_WEIGHT_FILES, MAX_HUGGINGFACE_CONFIG_BYTES, parseHuggingFaceConfig, type HuggingFaceConfig } from '../huggingface/huggingface-config.js';
import { openFileByteSource } from './file-byte-source.js';

/** Index files of checkpoints split in shards (transformers' save_pretrained of large models). */
const SHARD_INDEX_FILES = ['model.safetensors.index.json', 'pytorch_model.bin.index.json'] as const;

/** Where a checkpoint path leads: the file to read and, for a Hugging Face folder, its config.json. */
export interface CheckpointLocation {
  /** The checkpoint file to read. */
  readonly file: string;
  /** The folder's config.json, read (only when the path was a folder). */
  readonly huggingFace?: HuggingFaceConfig & { readonly configFile: string };
}

/** Reads a config.json (a regular file, its size checked before it is read). */
export function readHuggingFaceConfigFile(path: string): HuggingFaceConfig {
  const source = openFileByteSource(path);
  try {
    if (source.byteLength > MAX_HUGGINGFACE_CONFIG_BYTES) {
      throw new SwinError('LIMIT_EXCEEDED', `${path}: expected a config.json of at most ${MAX_HUGGINGFACE_CONFIG_BYTES} bytes, found ${source.byteLength}`);
    }
    return parseHuggingFaceConfig(source.read(0, source.byteLength), path);
  } finally {
    source.close();
  }
}

/**
 * A checkpoint path as given to `--weights`, `loadModel` or `swin info`: a file is itself; a folder
 * is a Hugging Face model folder (save_pretrained, a hub snapshot): its config.json and
 * model.safetensors, else pytorch_model.bin. A folder without them is an IO_ERROR naming what was
 * looked for; sharded checkpoints are refused by name.
 */
export function locateCheckpoint(path: string): CheckpointLocation {
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    return { file: path }; // reading the file reports what is wrong with it
  }
  if (!isFolder) return { file: path };
  const configFile = join(path, 'config.json');
  const weightsFile = HUGGINGFACE_WEIGHT_FILES.map((f) => join(path, f)).find((f) => existsSync(f));
  if (!weightsFile) {
    const shards = SHARD_INDEX_FILES.find((f) => existsSync(join(path, f)));
    if (shards) throw new SwinError('IO_ERROR', `${path}: sharded checkpoints (${shards}) are not supported: expected one ${HUGGINGFACE_WEIGHT_FILES.join(' or ')}`);
    throw new SwinError('IO_ERROR', `${path} is a folder without weights: expected ${HUGGINGFACE_WEIGHT_FILES.join(' or ')} (a Hugging Face model folder) in it`);
  }
  if (!existsSync(configFile)) throw new SwinError('IO_ERROR', `${path} is a folder without config.json: expected a Hugging Face model folder (config.json beside ${weightsFile})`);
  return { file: weightsFile, huggingFace: { ...readHuggingFaceConfigFile(configFile), configFile } };
}
