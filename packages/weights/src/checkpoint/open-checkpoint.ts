import { FormatError } from '@swin/core';
import { memoryByteSource, type ByteSource } from '../bytes/byte-source.js';
import { resolveLimits } from '../limits.js';
import { looksLikeSafetensors, readSafetensors } from '../safetensors/safetensors-reader.js';
import type { LazyTensor } from '../tensors/lazy-tensor.js';
import { readPytorchLegacy } from '../torch/pytorch-legacy-reader.js';
import { readPytorchZip } from '../torch/pytorch-zip-reader.js';
import { findStateDict, stateDictTensors } from '../torch/state-dict-tensors.js';
import { looksLikeZip } from '../zip/zip-archive.js';
import type { Checkpoint, CheckpointFormat, ReadOptions } from './checkpoint.js';
import { stripModulePrefix } from './strip-module-prefix.js';

/** Tells the container format from the first bytes. */
export function sniffFormat(head: Uint8Array): CheckpointFormat {
  if (looksLikeZip(head)) return 'pytorch-zip';
  if (looksLikeSafetensors(head)) return 'safetensors';
  // Every torch.save pickle starts with PROTO 2; the legacy magic number follows.
  if (head[0] === 0x80) return 'pytorch-legacy';
  const shown = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new FormatError(`unrecognised checkpoint: expected a torch.save zip ('PK'), a legacy torch pickle (0x80), or safetensors (8-byte length then '{'); the file starts with ${shown || 'nothing (it is empty)'}`, 0);
}

/**
 * Opens a checkpoint of any supported format without loading its tensors: the format is sniffed,
 * the pickle (if any) is run through the safe unpickler, the state dict found and unwrapped, and
 * every tensor's extent checked against the file. Tensors load on demand.
 */
export function openCheckpoint(input: ByteSource | Uint8Array, options: ReadOptions = {}): Checkpoint {
  const source = input instanceof Uint8Array ? memoryByteSource(input) : input;
  const limits = resolveLimits(options.limits);
  const format = sniffFormat(source.read(0, Math.min(16, source.byteLength)));
  const notes: string[] = [];
  const wrappers: string[] = [];
  let tensors: Map<string, LazyTensor>;
  let metadata: Record<string, string> = {};
  if (format === 'safetensors') {
    ({ tensors, metadata } = readSafetensors(source, limits));
  } else {
    const pickled =
      format === 'pytorch-zip'
        ? readPytorchZip(source, limits, { inflateRaw: options.inflateRaw, crc32: options.crc32, verifyChecksums: options.verifyChecksums ?? true })
        : readPytorchLegacy(source, limits);
    const { dict, wrappers: path } = findStateDict(pickled.root, pickled.rootOffset);
    wrappers.push(...path);
    tensors = stateDictTensors(dict, pickled.rootOffset, limits, notes);
  }
  tensors = stripModulePrefix(tensors, wrappers);
  if ([...tensors.values()].some((t) => t.dtype === 'float64')) notes.push('float64 tensors are rounded to float32');
  return { format, tensors, metadata, wrappers, notes };
}
