import { SwinError, type DecodedPixels } from '@swin/core';
import { describeImageInput, pixelLimitError, type DecodeOptions } from '../image-input.js';
import type { ImageInput } from '../types.js';

type Drawable = ImageBitmap | OffscreenCanvas | HTMLImageElement | HTMLCanvasElement | VideoFrame;

function has(name: string): boolean {
  return typeof (globalThis as Record<string, unknown>)[name] !== 'undefined';
}

function isDrawable(x: unknown): x is Drawable {
  return (
    (has('ImageBitmap') && x instanceof ImageBitmap) ||
    (has('OffscreenCanvas') && x instanceof OffscreenCanvas) ||
    (has('HTMLImageElement') && x instanceof HTMLImageElement) ||
    (has('HTMLCanvasElement') && x instanceof HTMLCanvasElement) ||
    (has('VideoFrame') && x instanceof VideoFrame)
  );
}

function sizeOf(d: Drawable): [number, number] {
  if (has('VideoFrame') && d instanceof VideoFrame) return [d.displayWidth, d.displayHeight];
  if (has('HTMLImageElement') && d instanceof HTMLImageElement) return [d.naturalWidth, d.naturalHeight];
  return [(d as ImageBitmap).width, (d as ImageBitmap).height];
}

/** Draws onto a 2D canvas (OffscreenCanvas where it exists, so workers need no DOM) and reads the RGBA bytes back. */
function readPixels(d: Drawable, options: DecodeOptions, what: string): DecodedPixels {
  const [width, height] = sizeOf(d);
  if (!width || !height) throw new SwinError('INVALID_ARGUMENT', `picture has no pixels (${width}x${height}): is the image loaded?`);
  if (width * height > options.maxPixels) throw pixelLimitError(what, width, height, options.maxPixels);
  const canvas = has('OffscreenCanvas') ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
  if (!ctx) throw new SwinError('BACKEND_FAILURE', 'no 2D canvas context to read the picture with');
  ctx.drawImage(d as CanvasImageSource, 0, 0);
  return { width, height, channels: 4, data: ctx.getImageData(0, 0, width, height).data };
}

/**
 * Decodes encoded bytes with the browser's own decoders, without colour management or alpha
 * premultiplication, so the bytes are the file's (as PIL and sharp give them).
 */
async function decodeBlob(blob: Blob, what: string, options: DecodeOptions): Promise<DecodedPixels> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (err) {
    throw new SwinError('INVALID_FORMAT', `${what}: expected a picture the browser can decode, could not decode it (${(err as Error).message})`);
  }
  try {
    return readPixels(bitmap, options, what);
  } finally {
    bitmap.close();
  }
}

/** Browser and worker pictures: URL, Blob/File, encoded bytes, and everything a canvas can draw. */
export async function decodeBrowserImage(input: ImageInput, options: DecodeOptions): Promise<DecodedPixels> {
  if (typeof input === 'string' || input instanceof URL) {
    const url = String(input);
    let res: Response;
    try {
      res = await fetch(url);
    } catch (err) {
      throw new SwinError('IO_ERROR', `fetching picture ${url}: ${(err as Error).message}`);
    }
    if (!res.ok) throw new SwinError('IO_ERROR', `fetching picture ${url}: expected HTTP 200, found ${res.status}`);
    return decodeBlob(await res.blob(), url, options);
  }
  if (input instanceof Blob) return decodeBlob(input, input instanceof File ? input.name : 'picture blob', options);
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) return decodeBlob(new Blob([input as BlobPart]), `picture of ${input.byteLength} bytes`, options);
  if (isDrawable(input)) return readPixels(input, options, describeImageInput(input));
  throw new SwinError('INVALID_ARGUMENT', `picture: expected a URL, Blob, image, canvas, ImageBitmap, ImageData, VideoFrame, pixels or an NCHW float32 tensor, found ${describeImageInput(input)}`);
}
