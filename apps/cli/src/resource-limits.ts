import { freemem } from 'node:os';
import { setAllocationLimit } from '@swin/core';
import { UsageError } from './cli-errors.js';

/**
 * The CLI's resource limits, from a global flag, else an environment variable, else a default:
 *   --max-memory SIZE  / SWIN_MAX_MEMORY   largest allocation (or one operation's total) the CLI
 *                                          makes: masks, position tables, heads, activations,
 *                                          decoded pictures. Default: half the available memory.
 *   --max-pixels N     / SWIN_MAX_PIXELS   largest picture classify decodes. Default: 64 megapixels.
 * SIZE is bytes or a number with K, M, G or T (powers of 1024), e.g. 512M, 8G, 1.5G.
 */
export const DEFAULT_MAX_PIXELS = 64_000_000;

export interface ResourceLimits {
  readonly maxMemoryBytes: number;
  readonly maxPixels: number;
}

let maxPixels = DEFAULT_MAX_PIXELS;

/** The pixel limit in force (set by applyResourceLimits). */
export function pictureMaxPixels(): number {
  return maxPixels;
}

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** Parses 4G, 512M, 1.5G, 1000000 (bytes); `where` names the flag or variable for the error. */
export function parseByteSize(value: string, where: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(value.trim());
  // Group 2 always takes part in a match (it may be empty), and its upper case is a key of UNITS.
  const bytes = m ? Math.floor(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!) : NaN;
  if (!(bytes > 0)) throw new UsageError(`${where}: expected a size such as 512M, 8G or a number of bytes, found '${value}'`);
  return bytes;
}

function parsePixels(value: string, where: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${where}: expected a positive integer number of pixels, found '${value}'`);
  return n;
}

/** Memory this process can take: what the OS reports available, or the cgroup's limit when lower. */
function availableMemory(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  const free = freemem();
  return constrained > 0 && constrained < free ? constrained : free;
}

/**
 * Takes --max-memory / --max-pixels (with a value or `=value`) out of argv wherever they are, applies
 * them (else the environment's, else the defaults) and returns the remaining arguments.
 */
export function applyResourceLimits(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { argv: string[]; limits: ResourceLimits } {
  const flags = new Map<string, string>();
  const rest: string[] = [];
  // i < argv.length (the loop's bound; a flag's value is read as argv[++i], which may be undefined
  // and is checked); group 1 of a match is one of the two flag names.
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const m = /^--(max-memory|max-pixels)(?:=(.*))?$/.exec(a);
    if (!m) {
      rest.push(a);
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`option --${m[1]} needs a value`);
    flags.set(m[1]!, value);
  }
  const memFlag = flags.get('max-memory');
  const memEnv = env['SWIN_MAX_MEMORY'];
  const maxMemoryBytes =
    memFlag !== undefined ? parseByteSize(memFlag, '--max-memory') : memEnv ? parseByteSize(memEnv, 'SWIN_MAX_MEMORY') : Math.max(256 * 1024 ** 2, Math.floor(availableMemory() / 2));
  const pixFlag = flags.get('max-pixels');
  const pixEnv = env['SWIN_MAX_PIXELS'];
  maxPixels = pixFlag !== undefined ? parsePixels(pixFlag, '--max-pixels') : pixEnv ? parsePixels(pixEnv, 'SWIN_MAX_PIXELS') : DEFAULT_MAX_PIXELS;
  setAllocationLimit(maxMemoryBytes);
  return { argv: rest, limits: { maxMemoryBytes, maxPixels } };
}
