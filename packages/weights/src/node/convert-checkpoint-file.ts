import { SwinError } from '@swin/core';
import { openCheckpoint } from '../checkpoint/open-checkpoint.js';
import { encodeTensor } from '../dtypes/encode-output.js';
import type { ConvertOptions } from '../load/convert-weights.js';
import { outputMetadata } from '../load/output-metadata.js';
import { outputTensors } from '../load/output-schemes.js';
import { checkpointFindings, planCanonicalWeights, type CheckpointFindings } from '../load/plan-canonical-weights.js';
import type { CheckpointFormat } from '../checkpoint/checkpoint.js';
import { planSafetensors } from '../safetensors/safetensors-layout.js';
import { outputStoredDType } from '../dtypes/encode-output.js';
import { NonFiniteTally } from '../tensors/non-finite.js';
import { ScratchBuffer } from '../tensors/scratch-buffer.js';
import { writeFileAtomically } from './atomic-file.js';
import { openFileByteSource } from './file-byte-source.js';
import { nodeCrc32, nodeInflateRaw } from './node-codecs.js';

/** Progress of a conversion: bytes of output written so far, of the total, and the tensor just written. */
export interface ConvertProgress {
  readonly writtenBytes: number;
  readonly totalBytes: number;
  readonly tensorIndex: number;
  readonly tensorCount: number;
  readonly tensorName: string;
}

/** What a conversion did. */
export interface ConvertResult extends CheckpointFindings {
  readonly outPath: string;
  readonly bytesWritten: number;
  readonly tensorCount: number;
  readonly format: CheckpointFormat;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Converts a checkpoint file to a canonical safetensors file, streaming: the input is read by
 * offset (central directory, data.pkl, then one storage at a time) and each output tensor is
 * written as soon as it is decoded, so memory stays near the largest tensor rather than the model.
 * The output appears atomically (temp file + rename); on any error no output file is left.
 */
export async function convertCheckpointFile(inPath: string, outPath: string, options: ConvertOptions = {}, onProgress?: (p: ConvertProgress) => void): Promise<ConvertResult> {
  const source = openFileByteSource(inPath);
  try {
    const checkpoint = openCheckpoint(source, { inflateRaw: nodeInflateRaw, crc32: nodeCrc32, ...options });
    const plan = planCanonicalWeights(checkpoint, options);
    const dtype = options.dtype ?? 'float32';
    const metadata = outputMetadata(plan, dtype, options.outputScheme, options.classes);
    const tensors = outputTensors(plan, options.outputScheme);
    const names = [...tensors.keys()];
    const layout = planSafetensors(
      names.map((name) => {
        const t = tensors.get(name)!;
        return { name, dtype: outputStoredDType(t.dtype, dtype), shape: t.shape };
      }),
      metadata,
    );
    const bytesWritten = await writeFileAtomically(outPath, async (write) => {
      write(layout.header);
      let written = layout.header.length;
      const scratch = new ScratchBuffer();
      const nonFinite = new NonFiniteTally();
      for (const [i, slot] of layout.slots.entries()) {
        const loaded = tensors.get(slot.name)!.load(scratch);
        nonFinite.add(slot.name, loaded);
        const bytes = encodeTensor(loaded, slot.dtype);
        if (bytes.length !== slot.end - slot.begin) {
          throw new SwinError('INVALID_FORMAT', `tensor '${slot.name}' encoded to ${bytes.length} bytes, expected ${slot.end - slot.begin}`);
        }
        write(bytes);
        written += bytes.length;
        onProgress?.({ writtenBytes: written, totalBytes: layout.fileSize, tensorIndex: i + 1, tensorCount: layout.slots.length, tensorName: slot.name });
        // Let the event loop breathe between tensors (progress output, signals).
        if (i % 16 === 15) await new Promise((r) => setImmediate(r));
      }
      // Refused after the whole pass so the error counts them all; the temp file is removed.
      nonFinite.refuse(options.allowNonFinite);
    });
    return {
      outPath,
      bytesWritten,
      tensorCount: layout.slots.length,
      format: checkpoint.format,
      ...checkpointFindings(plan),
      metadata,
    };
  } finally {
    source.close();
  }
}
