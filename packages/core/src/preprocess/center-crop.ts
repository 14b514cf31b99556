import { SwinError } from '../errors.js';
import { checkRgbImage, type RgbImage } from './rgb-image.js';

/** Python 3's round(): halves go to the even neighbour (torchvision's CenterCrop uses it). */
export function roundHalfToEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Crops the centre height x width, as torchvision's CenterCrop on a PIL image: the offset is
 * round((size - crop) / 2) with round-half-to-even, and a picture smaller than the crop is first
 * zero-padded, floor(missing / 2) before and the rest after.
 */
export function centerCrop(image: RgbImage, height: number, width: number): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new SwinError('INVALID_ARGUMENT', `crop size must be positive integers, found ${width}x${height}`);
  }
  checkRgbImage(image, 'center crop');
  const padLeft = width > image.width ? Math.floor((width - image.width) / 2) : 0;
  const padTop = height > image.height ? Math.floor((height - image.height) / 2) : 0;
  const paddedW = Math.max(image.width, width);
  const paddedH = Math.max(image.height, height);
  const top = roundHalfToEven((paddedH - height) / 2) - padTop;
  const left = roundHalfToEven((paddedW - width) / 2) - padLeft;
  const out = new Uint8Array(width * height * 3);
  // sy and sx are checked inside the image, and it holds width * height * 3 bytes (checked above).
  for (let y = 0; y < height; y++) {
    const sy = top + y;
    if (sy < 0 || sy >= image.height) continue;
    for (let x = 0; x < width; x++) {
      const sx = left + x;
      if (sx < 0 || sx >= image.width) continue;
      const s = (sy * image.width + sx) * 3;
      const o = (y * width + x) * 3;
      out[o] = image.data[s]!;
      out[o + 1] = image.data[s + 1]!;
      out[o + 2] = image.data[s + 2]!;
    }
  }
  return { width, height, data: out };
}
