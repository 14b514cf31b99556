import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { npyToTensor, parseNpy, serializeNpy, type TensorData } from '@swin/core';
import type { OracleCache } from '../models/oracle-cache.js';

/**
 * Keeps reference outputs as .npy files under `dir/<key>/`, so the full Swin-T 224 reference run
 * happens once per machine rather than once per backend suite. Entries are written to a private
 * directory and renamed into place, so suites running in parallel never read half an entry.
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
      const tmp = `${d}.tmp-${process.pid}`;
      mkdirSync(tmp, { recursive: true });
      for (const [name, t] of Object.entries(outputs)) writeFileSync(join(tmp, `${name}.npy`), serializeNpy(t));
      try {
        renameSync(tmp, d);
      } catch {
        // Another suite stored the same entry first: theirs is as good as ours.
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  };
}
