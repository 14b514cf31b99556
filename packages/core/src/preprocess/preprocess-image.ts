import type { TensorData } from '../tensor/tensor.js';
import { centerCrop } from './center-crop.js';
import { normalizeToTensor } from './normalize-to-tensor.js';
import { resizeBicubic } from './pil-bicubic-resize.js';
import type { PreprocessSpec } from './preprocess-spec.js';
import type { RgbImage } from './rgb-image.js';

/** torchvision's Resize(size) target for an int size: short side = size, long side = int(size * long / short). */
export function shortSideResizeTarget(width: number, height: number, size: number): { width: number; height: number } {
  if (width <= height) return { width: size, height: Math.trunc((size * height) / width) };
  return { width: Math.trunc((size * width) / height), height: size };
}

/** The geometric part of the recipe: resize (short side or exact) and centre crop, still 8-bit RGB. */
export function resizeAndCrop(image: RgbImage, spec: PreprocessSpec): RgbImage {
  const [h, w] = spec.inputSize;
  if (spec.resizeMode === 'exact') return resizeBicubic(image, w, h);
  const target = shortSideResizeTarget(image.width, image.height, spec.resizeSize);
  return centerCrop(resizeBicubic(image, target.width, target.height), h, w);
}

/** Pictures to the model's input tensor [N, 3, H, W], exactly as the spec's transform (torchvision's or transformers'). */
export function preprocessImages(images: readonly RgbImage[], spec: PreprocessSpec): TensorData<'float32'> {
  return normalizeToTensor(images.map((img) => resizeAndCrop(img, spec)), spec.mean, spec.std, spec.rescaleFactor);
}
