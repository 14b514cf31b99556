import { ConfigError } from '@swin/core';
import { readJsonFile } from './input-files.js';

/** The flag of every command that loads weights: NaN or infinite weights are refused unless it is given. */
export const ALLOW_NON_FINITE_FLAG = { 'allow-non-finite': { type: 'boolean', default: false } } as const;
export const ALLOW_NON_FINITE_HELP = '  --allow-non-finite  load weights holding NaN or infinity (refused by default: outputs would be NaN)';

/** Reads a --config JSON file: an object of official constructor arguments. */
export function readConfigOverrides(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  const parsed = readJsonFile(path, 'config');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config ${path}: expected a JSON object of constructor arguments, found ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  }
  return parsed as Record<string, unknown>;
}
