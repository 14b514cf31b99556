import type { DecodedPixels } from '@swin/core';

/**
 * Decodes a picture file with the browser's own decoders into RGBA pixels, without colour
 * management or alpha premultiplication, so the bytes are the file's (as PIL and sharp give them)
 * and preprocessing sees what the CLI sees.
 */
export async function decodePicture(blob: Blob): Promise<DecodedPixels> {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas context');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: bitmap.width, height: bitmap.height, channels: 4, data };
  } finally {
    bitmap.close();
  }
}
