import { ConfigError } from '../../errors.js';
import type { WeightMap } from '../weight-map.js';

/** True for an integer > 0. */
export function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** Throws the config error every validator uses: the key, what was expected, what was found. */
export function failConfig(key: string, expected: string, found: unknown): never {
  throw new ConfigError(`config.${key}: expected ${expected}, found ${JSON.stringify(found)}`);
}

/** img_size (a number or [H, W]) as [H, W]. */
export function imageSizeOf(imgSize: number | readonly [number, number]): [number, number] {
  return typeof imgSize === 'number' ? [imgSize, imgSize] : [imgSize[0], imgSize[1]];
}

/**
 * Applies a user's partial config over a base: keys must be known, keys that change nothing at
 * inference (dropout rates, checkpointing...) are accepted and ignored, so a typo cannot silently do nothing.
 */
export function mergeKnownKeys(base: object, overrides: Record<string, unknown>, ignored: ReadonlySet<string>): Record<string, unknown> {
  const known = new Set(Object.keys(base));
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides)) {
    if (ignored.has(key)) continue;
    if (!known.has(key)) throw new ConfigError(`unknown config key '${key}': expected one of ${[...known].join(', ')}`, 'UNKNOWN_CONFIG_KEY');
    out[key] = value;
  }
  return out;
}

/** Stage depths read off `layers.{i}.blocks.{j}.*` weight names; throws when stages are missing. */
export function depthsFromWeightNames(names: Iterable<string>): number[] {
  const depths: number[] = [];
  for (const name of names) {
    const m = /^layers\.(\d+)\.blocks\.(\d+)\./.exec(name);
    if (!m) continue;
    const [si, bj] = [Number(m[1]), Number(m[2])];
    depths[si] = Math.max(depths[si] ?? 0, bj + 1);
  }
  if (depths.length === 0 || Array.from(depths, (d) => d === undefined).some(Boolean)) {
    throw new ConfigError(
      `cannot infer depths: expected weights 'layers.{i}.blocks.{j}.*' for consecutive stages, found stages [${Array.from(depths, (d, i) => (d ? i : '-')).join(',')}]`,
    );
  }
  return depths;
}

/** The shape of weight `name` for config inference; a missing one is a ConfigError naming it ("cannot infer {architecture}: ..."). */
export function weightShapeOf(weights: WeightMap, name: string, architecture: string): readonly number[] {
  const t = weights.get(name);
  if (!t) throw new ConfigError(`cannot infer ${architecture}: weight '${name}' is missing`);
  return t.shape;
}
