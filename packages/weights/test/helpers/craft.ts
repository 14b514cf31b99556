import { deflateRawSync } from 'node:zlib';
import { crc32, memoryByteSource, resolveLimits, ZipArchive } from '../../src/index.js';

// Builders for hand-made bad files: a minimal zip writer and pickle opcode assembly.

const enc = new TextEncoder();

function u16(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff];
}
function u32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

/** A zip of the given entries, stored (or deflated), like torch.save writes. */
export function makeZip(entries: readonly (readonly [string, Uint8Array])[], deflate = false): Uint8Array {
  const parts: number[][] = [];
  const chunks: Uint8Array[] = [];
  const central: number[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = enc.encode(name);
    const body = deflate ? new Uint8Array(deflateRawSync(data)) : data;
    const crc = crc32(data);
    const method = deflate ? 8 : 0;
    const local = [...u32(0x04034b50), ...u16(20), ...u16(0), ...u16(method), ...u16(0), ...u16(0), ...u32(crc), ...u32(body.length), ...u32(data.length), ...u16(nameBytes.length), ...u16(0)];
    chunks.push(Uint8Array.from(local), nameBytes, body);
    central.push(...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0), ...u16(method), ...u16(0), ...u16(0), ...u32(crc), ...u32(body.length), ...u32(data.length), ...u16(nameBytes.length), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(offset), ...nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  parts.push(central, [...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(entries.length), ...u16(entries.length), ...u32(central.length), ...u32(offset), ...u16(0)]);
  const total = offset + central.length + 22;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of [...chunks, ...parts.map((p) => Uint8Array.from(p))]) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The entries of a zip, decompressed. */
export function zipEntries(bytes: Uint8Array): [string, Uint8Array][] {
  const zip = ZipArchive.open(memoryByteSource(bytes), resolveLimits(undefined));
  return [...zip.entries.values()].map((e) => {
    const { source } = zip.open(e);
    return [e.name, source.read(0, source.byteLength).slice()];
  });
}

/** Pickle assembly, one opcode at a time. */
export const P = {
  proto: (v = 2) => [0x80, v],
  global: (module: string, name: string) => [0x63, ...enc.encode(`${module}\n${name}\n`)],
  unicode: (s: string) => {
    const b = enc.encode(s);
    return [0x58, ...u32(b.length), ...b];
  },
  shortUnicode: (s: string) => {
    const b = enc.encode(s);
    return [0x8c, b.length, ...b];
  },
  int1: (v: number) => [0x4b, v],
  mark: () => [0x28],
  tuple: () => [0x74],
  tuple1: () => [0x85],
  emptyTuple: () => [0x29],
  emptyDict: () => [0x7d],
  emptyList: () => [0x5d],
  list: () => [0x6c],
  setitem: () => [0x73],
  reduce: () => [0x52],
  newobj: () => [0x81],
  stackGlobal: () => [0x93],
  memoize: () => [0x94],
  stop: () => [0x2e],
  raw: (...bytes: number[]) => bytes,
};

/** Concatenates opcode byte lists into a pickle. */
export function pickle(...ops: number[][]): Uint8Array {
  return Uint8Array.from(ops.flat());
}

/** A torch-style zip checkpoint around a data.pkl (and optional storages). */
export function torchZip(pkl: Uint8Array, storages: [string, Uint8Array][] = [], stem = 'archive'): Uint8Array {
  return makeZip([[`${stem}/data.pkl`, pkl], ...storages.map(([k, d]) => [`${stem}/data/${k}`, d] as const), [`${stem}/version`, enc.encode('3\n')]]);
}

/** A safetensors file from a raw header object and data bytes. */
export function rawSafetensors(header: unknown, data: Uint8Array, declaredLength?: bigint): Uint8Array {
  const json = enc.encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}
