import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError, SwinError, WeightError } from '@swin/core';
import { loadTensorWeights, loadWeights, readCheckpoint } from '../src/index.js';
import { convertCheckpointFile, readWeightsFile } from '../src/node/index.js';
import { makeZip, P, pickle, rawSafetensors, torchZip, zipEntries } from './helpers/craft.js';
import { readFixture } from './helpers/fixtures.js';
import { thrownSwinError } from './helpers/thrown.js';

// Every bad file must end in a typed error (a SwinError with a code and, for format problems, the
// byte offset) and, when converting, leave no output file behind.

const official = readFixture('schemes', 'official.pth');
const legacy = readFixture('schemes', 'official_legacy.pth');
const hf = readFixture('schemes', 'hf_model.safetensors');
const entries = zipEntries(official);

function withoutEntry(name: string): Uint8Array {
  return makeZip(entries.filter(([n]) => n !== name));
}
function replaceEntry(name: string, data: Uint8Array): Uint8Array {
  return makeZip(entries.map(([n, d]) => [n, n === name ? data : d] as const));
}
function flipByte(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice();
  out[at] = out[at]! ^ 0x40;
  return out;
}

const cases: [string, Uint8Array, string, RegExp][] = [
  ['a pickle naming os.system (zip)', torchZip(pickle(P.proto(2), P.global('os', 'system'), P.unicode('touch /tmp/pwned'), P.tuple1(), P.reduce(), P.stop())), 'UNSAFE_PICKLE', /refused to load global 'os\.system'.*at byte offset \d+/],
  ['a pickle naming builtins.eval (legacy stream)', pickle(P.proto(2), P.global('builtins', 'eval'), P.unicode('__import__("os").system("id")'), P.tuple1(), P.reduce(), P.stop()), 'UNSAFE_PICKLE', /'builtins\.eval'/],
  ['a pickle naming builtins.eval via STACK_GLOBAL (zip)', torchZip(pickle(P.proto(4), P.shortUnicode('builtins'), P.shortUnicode('eval'), P.stackGlobal(), P.unicode('1'), P.tuple1(), P.reduce(), P.stop())), 'UNSAFE_PICKLE', /'builtins\.eval'/],
  ['a pickled module object', torchZip(pickle(P.proto(2), P.global('models.swin_transformer', 'SwinTransformer'), P.emptyTuple(), P.newobj(), P.stop())), 'UNSAFE_PICKLE', /'models\.swin_transformer\.SwinTransformer'/],
  ['a zip truncated in the middle', official.subarray(0, official.length >> 1), 'INVALID_FORMAT', /end-of-central-directory record not found/],
  ['a zip missing its last 10 bytes', official.subarray(0, official.length - 10), 'INVALID_FORMAT', /end-of-central-directory/],
  ['a legacy file truncated in its storages', legacy.subarray(0, legacy.length - 1000), 'INVALID_FORMAT', /claims \d+ elements/],
  ['a legacy file truncated in its pickle', legacy.subarray(0, 3000), 'INVALID_FORMAT', /truncated/],
  ['a safetensors file truncated', hf.subarray(0, hf.length - 4), 'INVALID_FORMAT', /run past|cover/],
  ['a safetensors header claiming a terabyte', rawSafetensors({}, new Uint8Array(0), 1n << 40n), 'LIMIT_EXCEEDED', /header claims 1099511627776 bytes/],
  ['a safetensors header claiming more than the file', rawSafetensors({}, new Uint8Array(0), 5000n), 'INVALID_FORMAT', /header claims 5000 bytes/],
  ['safetensors tensors with overlapping offsets', rawSafetensors({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, new Uint8Array(12)), 'INVALID_FORMAT', /'b' at data bytes \[4, 12\) overlaps/],
  ['a safetensors tensor claiming terabytes', rawSafetensors({ a: { dtype: 'F32', shape: [1 << 20, 1 << 20], data_offsets: [0, 2 ** 42] } }, new Uint8Array(8)), 'INVALID_FORMAT', /run past the 8 data bytes/],
  ['a safetensors tensor whose shape disagrees with its bytes', rawSafetensors({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), 'INVALID_FORMAT', /needs 12 bytes but data_offsets span 8/],
  ['a zip entry missing', withoutEntry('official/data/3'), 'INVALID_FORMAT', /zip entry 'official\/data\/3' is missing/],
  ['a zip without data.pkl', withoutEntry('official/data.pkl'), 'INVALID_FORMAT', /no '<name>\/data\.pkl' entry/],
  ['a storage shorter than declared', replaceEntry('official/data/0', new Uint8Array(12)), 'INVALID_FORMAT', /holds 12 bytes, but storage '0' declares/],
  ['a storage byte flipped (checksum)', flipByte(official, 2000), 'INVALID_FORMAT', /fails its checksum/],
  ['an empty file', new Uint8Array(0), 'INVALID_FORMAT', /unrecognised checkpoint/],
  ['a text file', new TextEncoder().encode('hello, this is not a checkpoint\n'), 'INVALID_FORMAT', /unrecognised checkpoint/],
  ['a pickle that is not a state dict', torchZip(pickle(P.proto(2), P.unicode('just a string'), P.stop())), 'INVALID_FORMAT', /no state dict found/],
];

describe('bad files give typed errors (in memory)', () => {
  it.each(cases)('%s', (_, bytes, code, message) => {
    const error = thrownSwinError(() => loadWeights(bytes));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    // Format errors say where: a byte offset, also in the message.
    if (error instanceof FormatError) {
      expect(typeof error.offset).toBe('number');
      expect(error.message).toContain(`at byte offset ${error.offset}`);
    }
  });

  it('mismatched shapes are a WeightError naming the weight', () => {
    const hfTensors = readCheckpoint(hf).tensors;
    const q = hfTensors.get('swin.encoder.layers.0.blocks.0.attention.self.query.weight')!;
    hfTensors.set('swin.encoder.layers.0.blocks.0.attention.self.query.weight', { ...q, shape: [8, 32], data: q.data });
    expect(() => loadTensorWeights(hfTensors)).toThrow(SwinError);
  });
});

describe('bad files: conversion fails with a typed error and leaves no file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swin-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(cases)('%s', async (name, bytes, code) => {
    const input = join(dir, `in-${name.replace(/\W+/g, '_')}`);
    writeFileSync(input, bytes);
    const out = join(dir, 'out.safetensors');
    await expect(convertCheckpointFile(input, out)).rejects.toMatchObject({ code });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a failure midway leaves an existing output untouched', async () => {
    const out = join(dir, 'existing.safetensors');
    writeFileSync(out, 'previous contents');
    const input = join(dir, 'bad-shape.pth');
    // Valid container, but the head's bias has the wrong shape: fails after reading starts.
    writeFileSync(input, replaceEntry('official/data.pkl', entries.find(([n]) => n === 'official/data.pkl')![1]));
    await expect(convertCheckpointFile(input, out, { numClasses: 3, config: { qkv_bias: 'yes' } })).rejects.toBeInstanceOf(SwinError);
    expect(readFileSync(out, 'utf8')).toBe('previous contents');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing input is an IO_ERROR', () => {
    expect(() => readWeightsFile(join(dir, 'nope.pth'))).toThrow(expect.objectContaining({ code: 'IO_ERROR' }));
  });

  it('a weight of the wrong shape is a WEIGHT_SHAPE_MISMATCH and leaves no file', async () => {
    const tensors = readCheckpoint(readFixture('schemes', 'canonical.safetensors')).tensors;
    const t = tensors.get('norm.weight')!;
    tensors.set('norm.weight', { ...t, shape: [16, 2] });
    const { writeSafetensors } = await import('../src/index.js');
    const input = join(dir, 'bad-shape.safetensors');
    writeFileSync(input, writeSafetensors(tensors));
    const out = join(dir, 'never.safetensors');
    const err = await convertCheckpointFile(input, out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeightError);
    expect((err as WeightError).code).toBe('WEIGHT_SHAPE_MISMATCH');
    expect(existsSync(out)).toBe(false);
  });
});
