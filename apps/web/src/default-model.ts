import { parsePreprocessSpec, type ModelConfig, type PreprocessSpec, type TensorData } from '@swin/core';
import { loadWeights } from '@swin/weights';

/** A model as the page uses it: canonical weights, architecture, class names and its preprocessing. */
export interface PageModel {
  readonly weights: Map<string, TensorData>;
  /** Any family core builds; the window explainer is for Swin V1. */
  readonly config: ModelConfig;
  readonly classes: readonly string[];
  readonly preprocess: PreprocessSpec;
  /** config.json as read: the architecture overrides the weights cannot reveal. */
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly bytes: number;
}

/** Where the page finds its model by default: the committed offline default model, served next to the page. */
export const DEFAULT_MODEL_URL = 'models/default/';

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res;
}

/**
 * Loads a model directory laid out like models/default: weights.safetensors (read with
 * @swin/weights, any naming scheme), config.json (official constructor names and family; what the
 * weights cannot reveal), classes.json,
 * preprocess.json.
 */
export async function loadPageModel(baseUrl = DEFAULT_MODEL_URL): Promise<PageModel> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const [weightsRes, configJson, classes, preprocessJson] = await Promise.all([
    fetchOk(`${base}weights.safetensors`),
    fetchOk(`${base}config.json`).then((r) => r.json() as Promise<Record<string, unknown>>),
    fetchOk(`${base}classes.json`).then((r) => r.json() as Promise<string[]>),
    fetchOk(`${base}preprocess.json`).then((r) => r.json() as Promise<unknown>),
  ]);
  const bytes = new Uint8Array(await weightsRes.arrayBuffer());
  // One inference: @swin/weights completes the architecture from the weights, the file's metadata and config.json.
  const loaded = loadWeights(bytes, { config: configJson });
  const config = loaded.config;
  if (classes.length !== config.num_classes) throw new Error(`classes.json has ${classes.length} names, the head has ${config.num_classes} classes`);
  return { weights: loaded.weights, config, classes, preprocess: parsePreprocessSpec(preprocessJson), overrides: configJson, bytes: bytes.byteLength };
}
