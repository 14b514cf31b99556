import { BackendError, modelComplexity, officialPreprocessSpec, SwinError, type Backend, type PreprocessSpec } from '@swin/core';
import { loadTensorWeights, loadWeights, type LoadOptions } from '@swin/weights';
import { throwIfAborted } from './abort.js';
import { chooseBackend } from './backend-choice.js';
import { chooseLabels, parseLabelList } from './class-labels.js';
import { DEFAULT_MAX_PIXELS } from './image-input.js';
import { resolveSource } from './model-source.js';
import type { Platform, ReadCheckpoint } from './platform.js';
import { SwinModel } from './swin-model.js';
import type { LoadModelOptions, ModelSource } from './types.js';

function inputSizeOption(size: LoadModelOptions['inputSize']): [number, number] | undefined {
  if (size === undefined) return undefined;
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h! <= 0 || w! <= 0) throw new SwinError('INVALID_ARGUMENT', `inputSize: expected positive integers, found ${JSON.stringify(size)}`);
  return [h!, w!];
}

const DTYPES = ['float32', 'float16'] as const;

function dtypeOption(dtype: unknown): 'float32' | 'float16' {
  if (dtype === undefined) return 'float32';
  if (!DTYPES.includes(dtype as never)) throw new SwinError('INVALID_ARGUMENT', `dtype: expected ${DTYPES.join(' or ')}, found ${JSON.stringify(dtype)}`);
  return dtype as 'float32' | 'float16';
}

/**
 * Refuses a compute dtype the backend would ignore (info.dtype must be what runs). Backends that
 * compute in float16 list it in their capabilities (onnx); our WebGPU backend lists only the
 * dtypes it uploads natively but compiles float16 where the adapter has shader-f16 (and refuses
 * with its own error where not).
 */
function assertBackendDtype(backend: Backend, dtype: 'float32' | 'float16'): void {
  if (dtype === 'float32' || backend.capabilities.dtypes.has(dtype) || backend.name === 'webgpu') return;
  throw new BackendError('UNSUPPORTED_DTYPE', `backend '${backend.name}' cannot compute in ${dtype}: expected float32 on it, or a backend with ${dtype} (onnx, webgpu)`);
}

/** The official evaluation transform at the input size: short side + centre crop for square inputs, a straight resize otherwise. */
function defaultPreprocess(inputSize: readonly [number, number]): PreprocessSpec {
  const [h, w] = inputSize;
  if (h === w) return officialPreprocessSpec(h);
  return { ...officialPreprocessSpec(h, false), inputSize: [h, w] };
}

/**
 * Reads a checkpoint from any source (downloading and caching as loadModel does) without choosing a
 * backend or compiling: the weights, the completed architecture, and what was found beside them.
 */
export async function readCheckpointOn(platform: Platform, source: ModelSource, options: LoadModelOptions = {}): Promise<ReadCheckpoint> {
  throwIfAborted(options.signal, 'loadModel');
  const load: LoadOptions = { config: { ...(options.config ?? {}) }, ...(options.allowNonFinite ? { allowNonFinite: true } : {}) };
  const read = await readSource(platform, source, options, load);
  throwIfAborted(options.signal, 'loadModel');
  return read;
}

async function readSource(platform: Platform, source: ModelSource, options: LoadModelOptions, load: LoadOptions): Promise<ReadCheckpoint> {
  const resolved = resolveSource(source, platform.isNode);
  switch (resolved.kind) {
    case 'weights':
      return { loaded: loadTensorWeights(resolved.weights, load), where: 'weights' };
    case 'bytes':
      return { loaded: loadWeights(resolved.bytes, load), where: 'bytes' };
    case 'blob':
      return { loaded: loadWeights(new Uint8Array(await resolved.blob.arrayBuffer()), load), where: resolved.blob instanceof File ? resolved.blob.name : 'blob' };
    default:
      return platform.readCheckpoint(resolved, options, load);
  }
}

/**
 * Loads a model from any source onto a backend and compiles it at its input size. The platform
 * (Node or browser) is bound by the package entry the app imported.
 */
export async function loadModelOn(platform: Platform, source: ModelSource, options: LoadModelOptions = {}): Promise<SwinModel> {
  const dtype = dtypeOption(options.dtype);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!Number.isInteger(maxPixels) || maxPixels < 1) throw new SwinError('INVALID_ARGUMENT', `maxPixels: expected a positive integer, found ${maxPixels}`);
  const read = await readCheckpointOn(platform, source, options);
  const { loaded } = read;
  const config = loaded.config;
  const trained: [number, number] = typeof config.img_size === 'number' ? [config.img_size, config.img_size] : [config.img_size[0], config.img_size[1]];
  const preprocess = options.preprocess ?? read.preprocess ?? defaultPreprocess(inputSizeOption(options.inputSize) ?? trained);
  const inputSize: [number, number] = [preprocess.inputSize[0], preprocess.inputSize[1]];
  const requested = inputSizeOption(options.inputSize);
  if (requested && (requested[0] !== inputSize[0] || requested[1] !== inputSize[1])) {
    throw new SwinError('INVALID_ARGUMENT', `inputSize ${requested.join('x')} differs from the preprocessing's ${inputSize.join('x')}`);
  }
  const metadataClasses = loaded.metadata['classes'];
  const labels =
    config.num_classes > 0
      ? chooseLabels(config.num_classes, [
          { labels: options.labels, where: 'options.labels' },
          { labels: metadataClasses ? parseLabelList(metadataClasses, `${read.where} metadata`) : undefined, where: `${read.where} metadata` },
          { labels: read.labels, where: read.labelsWhere ?? read.where },
        ])
      : undefined;
  const chosen = await chooseBackend(options.backend, platform.backends);
  try {
    assertBackendDtype(chosen.backend, dtype);
  } catch (err) {
    if (chosen.owned) await chosen.backend.dispose();
    throw err;
  }
  const complexity = modelComplexity(config, inputSize);
  const model = new SwinModel({
    weights: loaded.weights,
    backend: chosen.backend,
    ownsBackend: chosen.owned,
    decode: platform.decodeImage,
    decodeOptions: { maxPixels },
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onCompileProgress: (done: number, total: number, label: string) => options.onProgress!({ phase: 'compile', done, total, label }) } : {}),
    info: {
      family: loaded.family,
      config,
      parameters: complexity.parameters,
      macs: complexity.macs,
      backend: chosen.backend.name,
      backendChoice: chosen.choice,
      dtype,
      inputSize,
      preprocess,
      labels,
      source: read.where,
      format: loaded.format,
      scheme: loaded.scheme,
      warnings: loaded.warnings,
      metadata: loaded.metadata,
    },
  });
  if (options.warmup === false) return model;
  try {
    await model.warm();
    throwIfAborted(options.signal, 'loadModel');
  } catch (err) {
    await model.dispose();
    throw err;
  }
  return model;
}
