import { existsSync } from 'node:fs';
import { ConfigError, SwinError, type ModelConfig, type WeightMap } from '@swin/core';
import { findVariant } from '@swin/variants';
import { readWeightsFile } from '@swin/weights/node';
import { cachedWeightsPath } from '@swin/pipeline';
import { readJsonFile } from './input-files.js';

/** A checkpoint resolved to canonical weights and a full config. */
export interface LoadedModel {
  readonly path: string;
  readonly weights: WeightMap;
  readonly config: ModelConfig;
  /** File format (pytorch-zip, pytorch-legacy, safetensors). */
  readonly format: string;
  /** Naming scheme the weights were written in (official, timm, torchvision, huggingface). */
  readonly scheme: string;
  readonly warnings: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** The flag of every command that loads weights: NaN or infinite weights are refused unless it is given. */
export const ALLOW_NON_FINITE_FLAG = { 'allow-non-finite': { type: 'boolean', default: false } } as const;
export const ALLOW_NON_FINITE_HELP = '  --allow-non-finite  load weights holding NaN or infinity (refused by default: outputs would be NaN)';

/** Reads a --config JSON file: an object of official constructor arguments. */
export async function readConfigOverrides(path: string | undefined): Promise<Record<string, unknown>> {
  if (!path) return {};
  const parsed = readJsonFile(path, 'config');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config ${path}: expected a JSON object of constructor arguments, found ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  }
  return parsed as Record<string, unknown>;
}

/** `--weights` is a path, or a variant name that `swin fetch` cached. */
export function resolveWeightsPath(spec: string): string {
  if (existsSync(spec)) return spec;
  let variant: ReturnType<typeof findVariant> | undefined;
  try {
    variant = findVariant(spec);
  } catch {
    variant = undefined; // not a variant name either: report the missing file below
  }
  if (variant) {
    const cached = cachedWeightsPath(variant.id);
    if (existsSync(cached)) return cached;
    throw new SwinError('IO_ERROR', `weights '${spec}' are not cached (expected ${cached}): run swin fetch ${spec}`);
  }
  throw new SwinError('IO_ERROR', `weights file not found: ${spec} (expected a checkpoint path or a fetched variant name like swin-t)`);
}

/**
 * Loads any supported checkpoint, maps it to canonical names, and completes the architecture:
 * inferred from the weights, then the file's own config metadata, then the user's --config.
 */
export async function loadModel(weightsSpec: string, configPath?: string, options: { allowNonFinite?: boolean } = {}): Promise<LoadedModel> {
  const overrides = await readConfigOverrides(configPath);
  const path = resolveWeightsPath(weightsSpec);
  // @swin/weights infers the architecture before it drops derived buffers (they reveal the training
  // size, and Swin V2's window), with the file's own config metadata and the user's overrides.
  const loaded = readWeightsFile(path, { config: overrides, allowNonFinite: options.allowNonFinite });
  return { path, weights: loaded.weights, config: loaded.config, format: loaded.format, scheme: loaded.scheme, warnings: loaded.warnings, metadata: loaded.metadata };
}
