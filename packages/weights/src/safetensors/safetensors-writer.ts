import type { TensorData } from '@swin/core';
import { encodeTensor, outputStoredDType, type OutputDType } from '../dtypes/encode-output.js';
import { planSafetensors } from './safetensors-layout.js';

/**
 * Serialises tensors to a safetensors file in memory (browser-safe). Float tensors are written as
 * `dtype` (float32 by default); integer tensors keep their type. Metadata values must be strings.
 */
export function writeSafetensors(tensors: ReadonlyMap<string, TensorData> | Iterable<[string, TensorData]>, metadata: Readonly<Record<string, string>> = {}, dtype: OutputDType = 'float32'): Uint8Array {
  const entries = [...tensors];
  const layout = planSafetensors(
    entries.map(([name, t]) => ({ name, dtype: outputStoredDType(t.dtype, dtype), shape: t.shape })),
    metadata,
  );
  const out = new Uint8Array(layout.fileSize);
  out.set(layout.header, 0);
  const base = layout.header.length;
  // planSafetensors gives one slot per entry, in order.
  entries.forEach(([, t], i) => {
    const slot = layout.slots[i]!;
    out.set(encodeTensor(t, slot.dtype), base + slot.begin);
  });
  return out;
}
