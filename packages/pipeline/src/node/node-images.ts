import { SwinError, type DecodedPixels } from '@swin/core';
import { importOptional } from '../backend-choice.js';
import { describeImageInput } from '../image-input.js';
import type { ImageInput } from '../types.js';

const SHARP = 'sharp';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Sharp = any;
let sharpModule: Promise<Sharp> | undefined;

async function loadSharp(): Promise<Sharp> {
  sharpModule ??= importOptional(() => import(SHARP), 'sharp', 'decoding pictures in Node').then((m: Sharp) => m.default ?? m);
  try {
    return await sharpModule;
  } catch (err) {
    sharpModule = undefined;
    throw new SwinError('INVALID_ARGUMENT', (err as Error).message, { cause: err });
  }
}

/** Node pictures: a path, a file: or http(s) URL, or the bytes of a JPEG / PNG / WebP, decoded by sharp as PIL's convert('RGB') sees them. */
export async function decodeNodeImage(input: ImageInput): Promise<DecodedPixels> {
  let source: string | Uint8Array;
  if (typeof input === 'string' && /^https?:\/\//i.test(input)) source = new Uint8Array(await (await fetchPicture(input)).arrayBuffer());
  else if (input instanceof URL) source = input.protocol === 'file:' ? decodeURIComponent(input.pathname) : new Uint8Array(await (await fetchPicture(input.href)).arrayBuffer());
  else if (typeof input === 'string') source = input;
  else if (input instanceof Uint8Array) source = input;
  else if (input instanceof ArrayBuffer) source = new Uint8Array(input);
  else if (typeof Blob !== 'undefined' && input instanceof Blob) source = new Uint8Array(await input.arrayBuffer());
  else throw new SwinError('INVALID_ARGUMENT', `picture: in Node expected a path, URL, encoded bytes, pixels {data, width, height, channels} or an NCHW float32 tensor, found ${describeImageInput(input)}`);
  const sharp = await loadSharp();
  const what = typeof source === 'string' ? source : `picture of ${source.byteLength} bytes`;
  try {
    const { data, info } = await sharp(source, { failOn: 'error' }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels < 1 || info.channels > 4) throw new Error(`unexpected channel count ${info.channels}`);
    return { width: info.width, height: info.height, channels: info.channels as 1 | 2 | 3 | 4, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new SwinError('INVALID_FORMAT', `${what}: expected a JPEG, PNG or WebP image, could not decode it (${reason})`);
  }
}

async function fetchPicture(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new SwinError('IO_ERROR', `fetching picture ${url}: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok) throw new SwinError('IO_ERROR', `fetching picture ${url}: expected HTTP 200, found ${res.status}`);
  return res;
}
