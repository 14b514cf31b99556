import { isDerivedBuffer, type TensorData, type WeightMap } from '@swin/core';
import { CheckpointReaderUnavailable } from '../models/model-fixture.js';

interface WeightsModule {
  readCheckpoint?: (bytes: Uint8Array) => { tensors: Map<string, TensorData> };
}

// A variable specifier keeps bundlers and tsc from requiring @swin/weights: it is an optional peer.
const WEIGHTS_PACKAGE = '@swin/weights';

/**
 * Reads a PyTorch checkpoint (.pth) with @swin/weights' safe unpickler, keeping canonical names and
 * dropping derived buffers. Throws CheckpointReaderUnavailable when @swin/weights is not installed.
 */
export async function readCheckpointWeights(bytes: Uint8Array, file: string): Promise<WeightMap> {
  let mod: WeightsModule;
  try {
    mod = (await import(WEIGHTS_PACKAGE)) as WeightsModule;
  } catch (err) {
    throw new CheckpointReaderUnavailable(`reading ${file} needs @swin/weights (not loadable here: ${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  if (typeof mod.readCheckpoint !== 'function') throw new CheckpointReaderUnavailable(`@swin/weights has no readCheckpoint export; cannot read ${file}`);
  const { tensors } = mod.readCheckpoint(bytes);
  const out = new Map<string, TensorData>();
  for (const [name, t] of tensors) if (!isDerivedBuffer(name)) out.set(name, t);
  return out;
}
