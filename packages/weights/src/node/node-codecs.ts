import * as zlib from 'node:zlib';
import { crc32 as portableCrc32, type Crc32Function } from '../bytes/crc32.js';
import type { InflateRaw } from '../zip/zip-archive.js';

/** zlib's raw inflate, capped at the size the zip directory declares so a bomb cannot grow past it. */
export const nodeInflateRaw: InflateRaw = (data, expectedSize) => zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, expectedSize) });

const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** zlib's native CRC-32 where Node has it (>= 20.15), else the portable one. */
export const nodeCrc32: Crc32Function = native ? (data, previous = 0) => native(data, previous) : portableCrc32;
