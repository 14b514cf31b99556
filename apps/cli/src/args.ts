import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict flags, turning its errors into UsageError. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** A required string flag. */
export function requireFlag(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing required option --${flag}`);
  return value;
}

/** Parses a positive integer flag value. */
export function parsePositiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${flag}: expected a positive integer, found '${value}'`);
  return n;
}

/** Parses HxW (or a single N for NxN). */
export function parseSize(value: string, flag: string): [number, number] {
  const m = /^(\d+)(?:x(\d+))?$/i.exec(value.trim());
  if (!m) throw new UsageError(`--${flag}: expected HxW or N (e.g. 224x224), found '${value}'`);
  const h = Number(m[1]);
  const w = Number(m[2] ?? m[1]);
  if (h <= 0 || w <= 0) throw new UsageError(`--${flag}: sizes must be positive, found '${value}'`);
  return [h, w];
}
