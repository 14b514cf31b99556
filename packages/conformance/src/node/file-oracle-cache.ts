import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { npyToTensor, parseNpy, serializeNpy, type TensorData } from '@swin/core';
import type { OracleCache } from '../models/oracle-cache.js';

/**
 * Keeps reference outputs as .npy files under `dir/<key>/`, so the full Swin-T 224 reference run
 * happens once per machine rather than once per backend suite. Keys name the seeds and graph size.
 */
export function fileOracleCache(dir: string): OracleCache {
  return {
    async get(key) {
      const d = join(dir, key);
      if (!existsSync(d)) return undefined;
      const out: Record<string, TensorData> = {};
      for (const f of readdirSync(d)) if (f.endsWith('.npy')) out[f.slice(0, -4)] = npyToTensor(parseNpy(new Uint8Array(readFileSync(join(d, f)))));
      return out;
    },
    async set(key, outputs) {
      const d = join(dir, key);
      mkdirSync(d, { recursive: true });
      for (const [name, t] of Object.entries(outputs)) writeFileSync(join(d, `${name}.npy`), serializeNpy(t));
    },
  };
}
