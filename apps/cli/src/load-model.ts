import { readFile } from 'node:fs/promises';
import { ConfigError, inferSwinConfig, type SwinV1Config, type WeightMap } from '@swin/core';
import { readWeightsFile } from '@swin/weights/node';

/** A checkpoint resolved to canonical weights and a full config. */
export interface LoadedModel {
  readonly weights: WeightMap;
  readonly config: SwinV1Config;
  /** File format (pytorch-zip, pytorch-legacy, safetensors). */
  readonly format: string;
  /** Naming scheme the weights were written in (official, timm, torchvision, huggingface). */
  readonly scheme: string;
  readonly warnings: readonly string[];
}

/** Reads a --config JSON file: an object of official constructor arguments. */
export async function readConfigOverrides(path: string | undefined): Promise<Record<string, unknown>> {
  if (!path) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    if (err instanceof SyntaxError) throw new ConfigError(`config ${path}: expected JSON, found a syntax error: ${err.message}`);
    throw err;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config ${path}: expected a JSON object of constructor arguments, found ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Loads any supported checkpoint, maps it to canonical names, and completes the architecture:
 * inferred from the weights, then the file's own config metadata, then the user's --config.
 */
export async function loadModel(weightsPath: string, configPath?: string): Promise<LoadedModel> {
  const overrides = await readConfigOverrides(configPath);
  const loaded = await readWeightsFile(weightsPath);
  const config = inferSwinConfig(loaded.weights, { ...(loaded.configFromFile ?? {}), ...overrides });
  return { weights: loaded.weights, config, format: loaded.format, scheme: loaded.scheme, warnings: loaded.warnings };
}
