import { checkAllocation, formatBytes, SwinError, type DecodedPixels } from '@swin/core';
import { importOptional } from '../backend-choice.js';
import { describeImageInput, pixelLimitError, type DecodeOptions } from '../image-input.js';
import type { ImageInput } from '../types.js';
import { readLocalFile } from './read-local-file.js';

const SHARP = 'sharp';

// sharp's type, imported as a type only: sharp is an optional peer, loaded at the first picture.
type SharpModule = typeof import('sharp');
type Sharp = SharpModule['default'];
let sharpModule: Promise<Sharp> | undefined;

async function loadSharp(): Promise<Sharp> {
  sharpModule ??= importOptional<SharpModule>(() => import(SHARP), 'sharp', 'decoding pictures in Node').then((m) => m.default);
  try {
    return await sharpModule;
  } catch (err) {
    sharpModule = undefined;
    throw new SwinError('INVALID_ARGUMENT', (err as Error).message, { cause: err });
  }
}

function notAPicture(what: string, err: unknown): SwinError {
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new SwinError('INVALID_FORMAT', `${what}: expected a JPEG, PNG or WebP image, could not decode it (${reason})`);
}

/** The encoded bytes of a Node picture input, and what to call it in messages. */
async function encodedBytes(input: ImageInput): Promise<{ bytes: Uint8Array; what: string }> {
  if (typeof input === 'string' && /^https?:\/\//i.test(input)) return { bytes: await fetchPicture(input), what: input };
  if (input instanceof URL) return input.protocol === 'file:' ? encodedBytes(decodeURIComponent(input.pathname)) : { bytes: await fetchPicture(input.href), what: input.href };
  if (typeof input === 'string') return { bytes: readLocalFile(input, 'picture'), what: input };
  if (input instanceof Uint8Array) return { bytes: input, what: `picture of ${input.byteLength} bytes` };
  if (input instanceof ArrayBuffer) return { bytes: new Uint8Array(input), what: `picture of ${input.byteLength} bytes` };
  if (typeof Blob !== 'undefined' && input instanceof Blob) return { bytes: new Uint8Array(await input.arrayBuffer()), what: `picture of ${input.size} bytes` };
  throw new SwinError('INVALID_ARGUMENT', `picture: in Node expected a path, URL, encoded bytes, pixels {data, width, height, channels} or an NCHW float32 tensor, found ${describeImageInput(input)}`);
}

/**
 * Node pictures: a path, a file: or http(s) URL, or the bytes of a JPEG / PNG / WebP, decoded by
 * sharp as PIL's convert('RGB') sees them. A path must be a regular file; the size in the header is
 * checked against `maxPixels` and the memory limit before anything is decoded.
 */
export async function decodeNodeImage(input: ImageInput, options: DecodeOptions): Promise<DecodedPixels> {
  const { bytes, what } = await encodedBytes(input);
  const sharp = await loadSharp();
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes, { failOn: 'error', limitInputPixels: false }).metadata());
  } catch (err) {
    throw notAPicture(what, err);
  }
  if (!width || !height) throw notAPicture(what, new Error('no width or height in its header'));
  if (width * height > options.maxPixels) throw pixelLimitError(what, width, height, options.maxPixels);
  // libvips' buffer, the RGB copy, and the first resize pass's rows.
  checkAllocation(width * height * 4 * 2, `decoding ${what} (${width}x${height}, ${formatBytes(width * height * 3)} as RGB)`);
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: options.maxPixels }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels < 1 || info.channels > 4) throw new Error(`unexpected channel count ${info.channels}`);
    return { width: info.width, height: info.height, channels: info.channels as 1 | 2 | 3 | 4, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    throw notAPicture(what, err);
  }
}

async function fetchPicture(url: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new SwinError('IO_ERROR', `fetching picture ${url}: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok) throw new SwinError('IO_ERROR', `fetching picture ${url}: expected HTTP 200, found ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
