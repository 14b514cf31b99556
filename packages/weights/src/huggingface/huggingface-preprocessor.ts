import { ConfigError, type PreprocessSpec } from '@swin/core';
import { parseHuggingFaceJsonObject } from './huggingface-json.js';

/** A Hugging Face model folder's (or hub repo's) image processor file. */
export const HUGGINGFACE_PREPROCESSOR_FILE = 'preprocessor_config.json';

/** Largest preprocessor_config.json read: a dozen keys take a few hundred bytes. */
export const MAX_HUGGINGFACE_PREPROCESSOR_BYTES = 1024 ** 2;

/** Largest side a preprocessor's size may ask for (the model is compiled at that size). */
const MAX_SIDE = 8192;

/**
 * The processor classes we reproduce: transformers' ViTImageProcessor (AutoImageProcessor's for
 * swin and swinv2) and its older name. Its "Fast" twin resizes with torchvision on tensors, which
 * moves pixels, so it is not taken for this one.
 */
const PROCESSOR_TYPES = ['ViTImageProcessor', 'ViTFeatureExtractor'] as const;

/** PIL's resampling filters by the number transformers stores (PILImageResampling). */
const RESAMPLE_NAMES: Readonly<Record<number, string>> = { 0: 'nearest', 1: 'lanczos', 2: 'bilinear', 3: 'bicubic', 4: 'box', 5: 'hamming' };
const BICUBIC = 3;

/** ViTImageProcessor's defaults for the keys a file leaves out (IMAGENET_STANDARD_MEAN/STD are 0.5). */
const DEFAULTS = {
  do_resize: true,
  size: { height: 224, width: 224 },
  resample: 2,
  do_rescale: true,
  rescale_factor: 1 / 255,
  do_normalize: true,
  image_mean: [0.5, 0.5, 0.5],
  image_std: [0.5, 0.5, 0.5],
} as const;

/** Keys that do not change the pixels: bookkeeping, and the RGB conversion the pipeline always does (PIL's convert('RGB')). */
const IGNORED = new Set(['image_processor_type', 'feature_extractor_type', 'processor_class', '_processor_class', 'do_convert_rgb']);

/**
 * Reads a transformers preprocessor_config.json of a Swin model as our PreprocessSpec. ViTImageProcessor
 * (the slow, PIL one) resizes straight to size {height, width} with PIL's `resample` filter (3 =
 * bicubic, the only one implemented), multiplies by rescale_factor (do_rescale) and normalizes with
 * image_mean / image_std (do_normalize); keys left out take its defaults (note: resample 2, bilinear,
 * and mean / std 0.5). An unsupported value or an unknown key is a one-line ConfigError naming the
 * key, what we support and what was found. Bounded: the file's size and the input size.
 */
export function parseHuggingFacePreprocessor(file: string | Uint8Array, where: string): PreprocessSpec {
  const config = parseHuggingFaceJsonObject(file, where, HUGGINGFACE_PREPROCESSOR_FILE, MAX_HUGGINGFACE_PREPROCESSOR_BYTES);
  const fail = (key: string, expected: string): never => {
    throw new ConfigError(`${where}: ${key}: expected ${expected}, found ${key in config ? JSON.stringify(config[key]).slice(0, 80) : `nothing (the default is ${JSON.stringify(DEFAULTS[key as keyof typeof DEFAULTS])})`}`);
  };
  // Only a missing key takes the default: transformers does not treat a null the same way for every key.
  const value = (key: keyof typeof DEFAULTS): unknown => (config[key] === undefined ? DEFAULTS[key] : config[key]);
  const flag = (key: 'do_resize' | 'do_rescale' | 'do_normalize'): boolean => {
    const v = value(key);
    return typeof v === 'boolean' ? v : fail(key, 'true or false');
  };

  const unknown = Object.keys(config).filter((k) => !(k in DEFAULTS) && !IGNORED.has(k));
  if (unknown.length > 0) {
    throw new ConfigError(`${where}: keys not supported: ${unknown.join(', ')} (expected only ${[...Object.keys(DEFAULTS), ...IGNORED].join(', ')}: transformers' ViTImageProcessor)`);
  }
  for (const key of ['image_processor_type', 'feature_extractor_type'] as const) {
    if (key in config && !PROCESSOR_TYPES.includes(config[key] as never)) fail(key, PROCESSOR_TYPES.map((t) => JSON.stringify(t)).join(' or '));
  }
  // Without a resize the model would see each picture at its own size; ours is compiled at one.
  if (!flag('do_resize')) fail('do_resize', 'true (the model runs at one input size)');
  const resample = value('resample');
  if (resample !== BICUBIC) {
    const name = typeof resample === 'number' && Object.hasOwn(RESAMPLE_NAMES, resample) ? ` (${RESAMPLE_NAMES[resample]}${'resample' in config ? '' : ", ViTImageProcessor's default"})` : '';
    throw new ConfigError(`${where}: resample: expected ${BICUBIC} (${RESAMPLE_NAMES[BICUBIC]}, the only filter implemented), found ${JSON.stringify(resample).slice(0, 80)}${name}`);
  }
  const inputSize = readSize(value('size'), (expected) => fail('size', expected));
  const normalize = flag('do_normalize');
  return {
    inputSize,
    resizeMode: 'exact',
    resizeSize: Math.min(...inputSize),
    interpolation: 'bicubic',
    mean: normalize ? channels(value('image_mean'), (expected) => fail('image_mean', expected)) : [0, 0, 0],
    std: normalize ? channels(value('image_std'), (expected) => fail('image_std', expected), true) : [1, 1, 1],
    rescaleFactor: flag('do_rescale') ? positiveNumber(value('rescale_factor'), (expected) => fail('rescale_factor', expected)) : 1,
  };
}

/** size: {height, width}, or one int for both (older configs); shortest_edge is another processor's resize. */
function readSize(v: unknown, fail: (expected: string) => never): [number, number] {
  const side = (x: unknown): x is number => Number.isInteger(x) && (x as number) > 0 && (x as number) <= MAX_SIDE;
  if (side(v)) return [v, v];
  const o = v as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Object.keys(o).length !== 2 || !side(o['height']) || !side(o['width'])) {
    return fail(`{"height": H, "width": W} or one integer, each from 1 to ${MAX_SIDE} (a straight resize)`);
  }
  return [o['height'], o['width']];
}

/** image_mean / image_std: three numbers, or one for every channel; a std must not be zero (pixels are divided by it). */
function channels(v: unknown, fail: (expected: string) => never, nonZero = false): [number, number, number] {
  const list = typeof v === 'number' ? [v, v, v] : v;
  const ok = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && (!nonZero || x !== 0);
  if (!Array.isArray(list) || list.length !== 3 || !list.every(ok)) return fail(`3 ${nonZero ? 'non-zero ' : ''}numbers (one per RGB channel) or one for all`);
  return [list[0], list[1], list[2]];
}

function positiveNumber(v: unknown, fail: (expected: string) => never): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fail('a positive number');
}
