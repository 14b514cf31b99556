import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SwinError } from '@swin/core';
import type { PreprocessSpec } from '@swin/core';
import { HUGGINGFACE_WEIGHT_FILES, MAX_HUGGINGFACE_CONFIG_BYTES, parseHuggingFaceConfig, type HuggingFaceConfig } from '../huggingface/huggingface-config.js';
import { HUGGINGFACE_PREPROCESSOR_FILE, MAX_HUGGINGFACE_PREPROCESSOR_BYTES, parseHuggingFacePreprocessor } from '../huggingface/huggingface-preprocessor.js';
import { openFileByteSource } from './file-byte-source.js';

/** Index files of checkpoints split in shards (transformers' save_pretrained of large models). */
const SHARD_INDEX_FILES = ['model.safetensors.index.json', 'pytorch_model.bin.index.json'] as const;

/** Where a checkpoint path leads: the file to read and, for a Hugging Face folder, its config.json. */
export interface CheckpointLocation {
  /** The checkpoint file to read. */
  readonly file: string;
  /** The folder's config.json, read (only when the path was a folder), and its preprocessor_config.json when it has one. */
  readonly huggingFace?: HuggingFaceConfig & { readonly configFile: string; readonly preprocess?: { readonly spec: PreprocessSpec; readonly file: string } };
}

/** The bytes of a small file (a regular file, its size checked against `max` before it is read). */
function readSmallFile(path: string, max: number, what: string): Uint8Array {
  const source = openFileByteSource(path);
  try {
    if (source.byteLength > max) throw new SwinError('LIMIT_EXCEEDED', `${path}: expected a ${what} of at most ${max} bytes, found ${source.byteLength}`);
    return source.read(0, source.byteLength);
  } finally {
    source.close();
  }
}

/** Reads a config.json (a regular file, its size checked before it is read). */
export function readHuggingFaceConfigFile(path: string): HuggingFaceConfig {
  return parseHuggingFaceConfig(readSmallFile(path, MAX_HUGGINGFACE_CONFIG_BYTES, 'config.json'), path);
}

/** Reads a preprocessor_config.json as a PreprocessSpec (a regular file, its size checked before it is read). */
export function readHuggingFacePreprocessorFile(path: string): PreprocessSpec {
  return parseHuggingFacePreprocessor(readSmallFile(path, MAX_HUGGINGFACE_PREPROCESSOR_BYTES, HUGGINGFACE_PREPROCESSOR_FILE), path);
}

/**
 * A checkpoint path as given to `--weights`, `loadModel` or `swin info`: a file is itself; a folder
 * is a Hugging Face model folder (save_pretrained, a hub snapshot): its config.json and
 * model.safetensors, else pytorch_model.bin, and its preprocessor_config.json when there is one
 * (optional: transformers' processor for swin/swinv2 without one). A folder without the weights or
 * config.json is an IO_ERROR naming what was looked for; sharded checkpoints are refused by name.
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
  const preprocessorFile = join(path, HUGGINGFACE_PREPROCESSOR_FILE);
  const preprocess = existsSync(preprocessorFile) ? { spec: readHuggingFacePreprocessorFile(preprocessorFile), file: preprocessorFile } : undefined;
  return { file: weightsFile, huggingFace: { ...readHuggingFaceConfigFile(configFile), configFile, ...(preprocess ? { preprocess } : {}) } };
}
