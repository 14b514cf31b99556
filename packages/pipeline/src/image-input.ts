import { SwinError, toRgbImage, type DecodedPixels, type RgbImage, type TensorData } from '@swin/core';
import type { ImageInput, PixelImage } from './types.js';

/** A picture made ready: pixels to preprocess, or a tensor the caller preprocessed already. */
export type PreparedImage = { readonly kind: 'rgb'; readonly image: RgbImage } | { readonly kind: 'tensor'; readonly tensor: TensorData<'float32'> };

/** Bounds of one decode. */
export interface DecodeOptions {
  /** Largest picture decoded (width x height), checked before its pixels are allocated. */
  readonly maxPixels: number;
}

/** Default pixel limit: 64 megapixels (an 8000x8000 photo), 256 MB as RGBA. */
export const DEFAULT_MAX_PIXELS = 64_000_000;

/** What a too-large picture's error says; the CLI names its own flag in the hint. */
export const PIXEL_LIMIT_HINT = 'raise maxPixels to allow it';

/** The error for a picture over the pixel limit, naming its size and the limit in megapixels. */
export function pixelLimitError(what: string, width: number, height: number, maxPixels: number): SwinError {
  return new SwinError('LIMIT_EXCEEDED', `${what}: ${width}x${height} is ${((width * height) / 1e6).toFixed(1)} megapixels, more than the limit of ${(maxPixels / 1e6).toFixed(1)} (${PIXEL_LIMIT_HINT})`);
}

/** Decodes what only one platform can (paths, encoded bytes, DOM pictures) into pixels. */
export type PlatformDecoder = (input: ImageInput, options: DecodeOptions) => Promise<DecodedPixels>;

function isTensor(x: unknown): x is TensorData {
  return typeof x === 'object' && x !== null && 'shape' in x && 'dtype' in x && 'data' in x;
}

function isPixels(x: unknown): x is PixelImage {
  return typeof x === 'object' && x !== null && 'data' in x && 'width' in x && 'height' in x && 'channels' in x && !('shape' in x);
}

function isImageData(x: unknown): x is ImageData {
  return typeof ImageData !== 'undefined' && x instanceof ImageData;
}

/** Pixels and tensors are handled here, the same on every platform; everything else goes to the platform's decoder. */
export async function prepareImage(input: ImageInput, decode: PlatformDecoder, options: DecodeOptions): Promise<PreparedImage> {
  if (isTensor(input)) {
    if (input.dtype !== 'float32' || input.shape.length !== 4 || input.shape[1] !== 3) {
      throw new SwinError('INVALID_ARGUMENT', `picture tensor: expected float32 NCHW [N, 3, H, W], found ${input.dtype} [${input.shape.join(', ')}]`);
    }
    return { kind: 'tensor', tensor: input as TensorData<'float32'> };
  }
  if (isImageData(input)) return { kind: 'rgb', image: toRgbImage({ width: input.width, height: input.height, channels: 4, data: input.data }) };
  if (isPixels(input)) return { kind: 'rgb', image: toRgbImage(input) };
  return { kind: 'rgb', image: toRgbImage(await decode(input, options)) };
}

/** A one-line description of an input for error messages. */
export function describeImageInput(input: unknown): string {
  if (typeof input === 'string') return input.length > 80 ? `${input.slice(0, 77)}...` : input;
  if (input instanceof Uint8Array) return `${input.byteLength} bytes`;
  return Object.prototype.toString.call(input).slice(8, -1);
}
