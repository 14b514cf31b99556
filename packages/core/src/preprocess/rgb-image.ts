import { SwinError } from '../errors.js';

/** An 8-bit RGB picture, row-major, channels interleaved (r, g, b, r, g, b, ...). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Throws unless `image` has a positive integer size and width * height * 3 bytes: every pixel loop reads in range then. */
export function checkRgbImage(image: RgbImage, what: string): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new SwinError('INVALID_ARGUMENT', `${what}: image size must be positive integers, found ${width}x${height}`);
  }
  if (data.length !== width * height * 3) {
    throw new SwinError('INVALID_ARGUMENT', `${what}: RGB data has ${data.length} bytes, expected ${width * height * 3} for ${width}x${height}`);
  }
}

/** Decoded pixels as decoders hand them out: 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA) channels. */
export interface DecodedPixels {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/**
 * Converts decoded pixels to RGB the way PIL's `convert('RGB')` does, which is what the official
 * evaluation loader calls: alpha is dropped (not composited over a background) and grey is copied
 * to the three channels.
 */
export function toRgbImage(pixels: DecodedPixels): RgbImage {
  const { width, height, channels, data } = pixels;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new SwinError('INVALID_ARGUMENT', `image size must be positive integers, found ${width}x${height}`);
  }
  if (![1, 2, 3, 4].includes(channels)) throw new SwinError('INVALID_ARGUMENT', `expected 1, 2, 3 or 4 channels, found ${channels}`);
  const n = width * height;
  if (data.length !== n * channels) {
    throw new SwinError('INVALID_ARGUMENT', `pixel data has ${data.length} bytes, expected ${n * channels} for ${width}x${height}x${channels}`);
  }
  if (channels === 3) return { width, height, data: data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.length) };
  const out = new Uint8Array(n * 3);
  // i < n and data holds n * channels bytes (checked above): channels * i + 2 is in range for 3 or 4 channels.
  for (let i = 0; i < n; i++) {
    if (channels >= 3) {
      out[3 * i] = data[channels * i]!;
      out[3 * i + 1] = data[channels * i + 1]!;
      out[3 * i + 2] = data[channels * i + 2]!;
    } else {
      const v = data[channels * i]!;
      out[3 * i] = v;
      out[3 * i + 1] = v;
      out[3 * i + 2] = v;
    }
  }
  return { width, height, data: out };
}
