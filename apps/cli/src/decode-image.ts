import { SwinError, toRgbImage, type RgbImage } from '@swin/core';
import sharp from 'sharp';

/** Decodes a JPEG / PNG / WebP (anything libvips reads) to 8-bit RGB, as PIL's convert('RGB') would. */
export async function decodeImageFile(path: string): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(path, { failOn: 'error' }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels < 1 || info.channels > 4) throw new Error(`unexpected channel count ${info.channels}`);
    return toRgbImage({ width: info.width, height: info.height, channels: info.channels as 1 | 2 | 3 | 4, data: new Uint8Array(data.buffer, data.byteOffset, data.length) });
  } catch (err) {
    if (err instanceof SwinError) throw err;
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new SwinError('INVALID_FORMAT', `${path}: expected a JPEG, PNG or WebP image, could not decode it (${reason})`);
  }
}
