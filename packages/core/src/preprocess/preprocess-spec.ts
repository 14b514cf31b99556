import { ConfigError } from '../errors.js';

/**
 * How a model wants its pictures: the official Swin evaluation recipe, parameterised. With
 * resizeMode 'short_side' the short side becomes resizeSize (long side int(resizeSize * long /
 * short)) and the centre inputSize is cropped; with 'exact' the picture is resized straight to
 * inputSize (the official 384 px fine-tunes evaluate this way, TEST.CROP = False, and so do
 * transformers' ViTImageProcessor for Swin). Then pixels / 255 (or * rescaleFactor), minus mean,
 * over std, per channel.
 */
export interface PreprocessSpec {
  /** [height, width] the model takes. */
  readonly inputSize: readonly [number, number];
  readonly resizeMode: 'short_side' | 'exact';
  /** Short-side length before the centre crop (ignored for 'exact'). */
  readonly resizeSize: number;
  /** Only Pillow-compatible bicubic is implemented (what the official evaluation uses). */
  readonly interpolation: 'bicubic';
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  /**
   * Pixels are multiplied by it (in float64, then rounded to float32) as transformers' image
   * processors rescale; absent, they are divided by 255 as torchvision's ToTensor does.
   */
  readonly rescaleFactor?: number;
}

export const IMAGENET_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];
export const IMAGENET_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

/** The official evaluation recipe for a square input: short side to int(size * 256 / 224), centre crop, ImageNet mean/std. */
export function officialPreprocessSpec(inputSize: number, crop = true): PreprocessSpec {
  return {
    inputSize: [inputSize, inputSize],
    resizeMode: crop ? 'short_side' : 'exact',
    resizeSize: crop ? Math.trunc((256 / 224) * inputSize) : inputSize,
    interpolation: 'bicubic',
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
  };
}

function triple(v: unknown, key: string, nonZero = false): [number, number, number] {
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new ConfigError(`preprocess.${key}: expected 3 numbers (one per RGB channel), found ${JSON.stringify(v)}`);
  }
  // Pixels are divided by std: a zero would turn every pixel into Infinity or NaN.
  if (nonZero && v.some((x) => x === 0)) throw new ConfigError(`preprocess.${key}: expected 3 non-zero numbers (pixels are divided by them), found ${JSON.stringify(v)}`);
  return [v[0], v[1], v[2]];
}

/**
 * Reads a preprocess.json (snake_case keys: input_size, resize_size, resize_mode, interpolation,
 * crop_mode, mean, std) as written next to the default model.
 */
export function parsePreprocessSpec(json: unknown): PreprocessSpec {
  if (typeof json !== 'object' || json === null) throw new ConfigError(`preprocess: expected an object, found ${JSON.stringify(json)}`);
  const o = json as Record<string, unknown>;
  const rawSize = o['input_size'];
  const size = typeof rawSize === 'number' ? [rawSize, rawSize] : rawSize;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ConfigError(`preprocess.input_size: expected a positive integer or [height, width], found ${JSON.stringify(rawSize)}`);
  }
  const mode = o['resize_mode'] ?? 'short_side';
  if (mode !== 'short_side' && mode !== 'exact') throw new ConfigError(`preprocess.resize_mode: expected "short_side" or "exact", found ${JSON.stringify(mode)}`);
  const interpolation = o['interpolation'] ?? 'bicubic';
  if (interpolation !== 'bicubic') throw new ConfigError(`preprocess.interpolation: expected "bicubic", found ${JSON.stringify(interpolation)}`);
  const crop = o['crop_mode'] ?? (mode === 'short_side' ? 'center' : 'none');
  if ((mode === 'short_side' && crop !== 'center') || (mode === 'exact' && crop !== 'none')) {
    throw new ConfigError(`preprocess.crop_mode: expected "center" with resize_mode short_side or "none" with exact, found ${JSON.stringify(crop)}`);
  }
  const resizeSize = o['resize_size'] ?? Math.min(size[0], size[1]);
  if (!Number.isInteger(resizeSize) || (resizeSize as number) < Math.max(size[0], size[1])) {
    if (mode === 'short_side') {
      throw new ConfigError(`preprocess.resize_size: expected an integer >= the crop ${size.join('x')}, found ${JSON.stringify(o['resize_size'])}`);
    }
  }
  return {
    inputSize: [size[0], size[1]],
    resizeMode: mode,
    resizeSize: resizeSize as number,
    interpolation: 'bicubic',
    mean: triple(o['mean'] ?? IMAGENET_MEAN, 'mean'),
    std: triple(o['std'] ?? IMAGENET_STD, 'std', true),
  };
}
