import { isDerivedBuffer, type TensorData, type WeightMap } from '@swin/core';
import { readCheckpoint } from '@swin/weights';

/**
 * Reads a PyTorch checkpoint (.pth) with @swin/weights' safe unpickler, keeping canonical names and
 * dropping derived buffers.
 */
export function readCheckpointWeights(bytes: Uint8Array): WeightMap {
  const { tensors } = readCheckpoint(bytes);
  const out = new Map<string, TensorData>();
  for (const [name, t] of tensors) if (!isDerivedBuffer(name)) out.set(name, t);
  return out;
}
