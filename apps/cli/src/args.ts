import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Every command's --help flag. */
const HELP_FLAG = { help: { type: 'boolean', default: false } } as const;

/**
 * A command's flags, parsed strictly (parseArgs; its errors become UsageError), plus --help: with
 * --help the command's `help` text is printed and undefined returned, and the command does nothing more.
 */
export function parseCommandArgs<O extends Options>(argv: string[], help: string, options: O, allowPositionals = false) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, ...HELP_FLAG }, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(help);
    return undefined;
  }
  return parsed;
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

/** Output names a model graph has (any family): see `swin run --help`. */
const OUTPUT_NAME = /^(logits|pooled|norm_out|embed|stage\d+(_out|_block\d+)?)$/;
const OUTPUT_PRESETS = ['logits', 'pooled', 'stages', 'all'];

/**
 * Parses --outputs: one preset (logits, pooled, stages, all) or a comma list of output names (and,
 * with `presetsInList`, presets). A name no model has is a bad command line.
 */
export function parseOutputsFlag(value: string, presetsInList = false): string | string[] {
  const preset = value.trim();
  if (OUTPUT_PRESETS.includes(preset)) return preset;
  const names = value.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!OUTPUT_NAME.test(n) && !(presetsInList && OUTPUT_PRESETS.includes(n))) {
      throw new UsageError(
        `--outputs: expected ${OUTPUT_PRESETS.join(', ')} or a comma list of logits, pooled, norm_out, embed, stage{i}, stage{i}_out, stage{i}_block{j}; found '${n}'`,
      );
    }
  }
  return names;
}
