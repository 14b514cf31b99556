import type { TensorData } from '@swin/core';

/**
 * Stores reference-executor outputs that take long to compute (the full Swin-T 224), keyed by a
 * string that names everything they depend on. Node provides a file cache; the default keeps nothing.
 */
export interface OracleCache {
  get(key: string): Promise<Record<string, TensorData> | undefined>;
  set(key: string, outputs: Record<string, TensorData>): Promise<void>;
}
