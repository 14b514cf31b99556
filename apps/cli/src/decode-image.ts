import { checkAllocation, formatBytes, SwinError, toRgbImage, type RgbImage } from '@swin/core';
import sharp from 'sharp';
import { readInputFile } from './input-files.js';

/**
 * Decodes a JPEG / PNG / WebP (anything libvips reads) to 8-bit RGB, as PIL's convert('RGB') would.
 * The file is read by the CLI (so a FIFO or a directory is refused without blocking), its header's
 * size checked against `maxPixels` and its decoded size against the memory limit before decoding.
 */
export async function decodeImageFile(path: string, maxPixels: number): Promise<RgbImage> {
  const bytes = readInputFile(path, 'picture');
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes, { failOn: 'error', limitInputPixels: false }).metadata());
  } catch (err) {
    throw notAPicture(path, err);
  }
  if (!width || !height) throw notAPicture(path, new Error('no width or height in its header'));
  if (width * height > maxPixels) {
    throw new SwinError(
      'LIMIT_EXCEEDED',
      `${path}: ${width}x${height} is ${(width * height / 1e6).toFixed(1)} megapixels, more than the limit of ${(maxPixels / 1e6).toFixed(1)} (raise it with --max-pixels N or SWIN_MAX_PIXELS)`,
    );
  }
  // libvips' RGBA buffer, our RGB copy, and the first resize pass's rows.
  checkAllocation(width * height * 4 * 2, `decoding ${path} (${width}x${height}, ${formatBytes(width * height * 3)} as RGB)`);
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels < 1 || info.channels > 4) throw new Error(`unexpected channel count ${info.channels}`);
    return toRgbImage({ width: info.width, height: info.height, channels: info.channels as 1 | 2 | 3 | 4, data: new Uint8Array(data.buffer, data.byteOffset, data.length) });
  } catch (err) {
    if (err instanceof SwinError) throw err;
    throw notAPicture(path, err);
  }
}

function notAPicture(path: string, err: unknown): SwinError {
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new SwinError('INVALID_FORMAT', `${path}: expected a JPEG, PNG or WebP image, could not decode it (${reason})`);
}
