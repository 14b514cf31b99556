import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SwinError } from '@swin/core';
import { crc32, DEFAULT_MAX_PICKLE_OBJECTS, loadWeights, memoryByteSource, resolveLimits, ZipArchive } from '../src/index.js';
import { nodeInflateRaw, readWeightsFile } from '../src/node/index.js';
import { deflatedTorchZip, deflatedZeroStorages, opcodeFlood, stateDictPickle } from './helpers/bombs.js';
import { makeZip } from './helpers/craft.js';
import { fixturePath, readFixture } from './helpers/fixtures.js';

// The reading budget: peak RSS while reading any checkpoint <= the bytes its tensors declare (in the
// stored dtype) + 256 MiB, whatever the pickle or zip holds. Each file is read in a fresh Node
// process (the built package) with a V8 heap cap, and the process's own peak RSS is compared with
// the budget: memory is what is measured, not time.

const CHILD = fileURLToPath(new URL('./helpers/read-in-child.mjs', import.meta.url));
const MiB = 2 ** 20;
const BUDGET_SLACK = 256 * MiB;

interface ChildResult {
  ok: boolean;
  code?: string;
  message?: string;
  bytes?: number;
  count?: number;
  maxRssBytes: number;
}

function readInChild(mode: 'read' | 'inspect' | 'scan', path: string): ChildResult {
  // The heap cap makes a runaway JS allocation die fast instead of swapping; RSS is the real check.
  const out = execFileSync(process.execPath, ['--max-old-space-size=1024', CHILD, mode, path], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
  console.log(`${mode} ${path.split('/').at(-1)}: ${r.ok ? 'ok' : r.code}, peak RSS ${(r.maxRssBytes / MiB).toFixed(0)} MiB`);
  return r;
}

describe('reading memory budget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swin-budget-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  // A 64 KB zip whose data.pkl deflates to 63 MiB of one 1-byte opcode: one JS value per byte
  // took 3.7-5.4 GB before the unpickler counted values; MEMOIZE x 63 Mi overflowed the memo Map.
  // The two repros at full size (63 MiB of `)`, and of MEMOIZE); the other value-making
  // opcodes at 8 MiB, still 30x the value limit.
  it.each([
    ['EMPTY_TUPLE', 0x29, 63],
    ['MEMOIZE', 0x94, 63],
    ['EMPTY_DICT', 0x7d, 8],
    ['EMPTY_LIST', 0x5d, 8],
    ['EMPTY_SET', 0x8f, 8],
    ['MARK', 0x28, 8],
    ['DUP', 0x32, 8],
  ])('a pickle flooded with %s is refused within the budget', { timeout: 120_000 }, (_, op, mebi) => {
    const file = deflatedTorchZip(opcodeFlood(op, mebi * MiB));
    expect(file.length).toBeLessThan(256 * 1024);
    const r = readInChild('inspect', write(`flood-${op}.pth`, file));
    expect(r, JSON.stringify(r)).toMatchObject({ ok: false, code: 'LIMIT_EXCEEDED' });
    expect(r.message).toMatch(new RegExp(`more than ${DEFAULT_MAX_PICKLE_OBJECTS} values`));
    // No tensors declared: the whole budget is the slack.
    expect(r.maxRssBytes).toBeLessThan(BUDGET_SLACK);
  });

  it('deflated-zero storages far larger than their views are refused before inflating', { timeout: 120_000 }, () => {
    // 5 storages of 64 MiB of zeros (a ~320 KB file), each viewed 16 elements at a time: 320 MiB
    // to inflate for 320 bytes of tensors, past the 256 MiB allowance.
    const p = write('zeros-views.pth', deflatedZeroStorages(5, 64 * MiB, 16));
    const r = readInChild('read', p);
    expect(r, JSON.stringify(r)).toMatchObject({ ok: false, code: 'LIMIT_EXCEEDED' });
    expect(r.message).toMatch(/compressed storages inflate to/);
    expect(r.maxRssBytes).toBeLessThan(BUDGET_SLACK);
  });

  it('deflated storages are inflated one at a time and released: reading all stays within declared + 256 MiB', { timeout: 120_000 }, () => {
    const storages = 4;
    const each = 32 * MiB;
    const p = write('zeros-full.pth', deflatedZeroStorages(storages, each, each / 4));
    const declared = storages * each;
    const read = readInChild('read', p);
    expect(read, JSON.stringify(read)).toMatchObject({ ok: true, bytes: declared });
    expect(read.maxRssBytes).toBeLessThan(declared + BUDGET_SLACK);
    // The streaming scan (what `swin info` reports) holds one storage at a time: far below declared.
    const scan = readInChild('scan', p);
    expect(scan, JSON.stringify(scan)).toMatchObject({ ok: true, count: 0 });
    expect(scan.maxRssBytes).toBeLessThan(4 * each + 128 * MiB);
    expect(scan.maxRssBytes).toBeLessThan(read.maxRssBytes);
  });

  it('a deflated storage entry larger than its storage declares is refused', () => {
    const pkl = stateDictPickle([{ name: 'w', key: '0', storageNumel: 4, viewNumel: 4 }]);
    const bytes = deflatedTorchZip(pkl, [['0', new Uint8Array(1024)]]);
    const e = (() => {
      try {
        loadWeights(bytes, { inflateRaw: nodeInflateRaw });
      } catch (err) {
        return err as SwinError;
      }
      return undefined;
    })();
    expect(e?.code).toBe('LIMIT_EXCEEDED');
    expect(e?.message).toMatch(/inflates to 1024 bytes, but storage '0' declares only 16/);
  });
});

describe('zip CRC of storages read in parts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swin-crc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('views.pth with one byte flipped in any storage fails its checksum instead of loading changed weights', () => {
    const original = readFixture('schemes', 'views.pth');
    const zip = ZipArchive.open(memoryByteSource(original), resolveLimits(undefined));
    const storages = [...zip.entries.values()].filter((e) => /\/data\/\d+$/.test(e.name));
    expect(storages.length).toBeGreaterThan(50);
    const p = join(dir, 'flipped.pth');
    let checked = 0;
    for (const entry of storages) {
      const start = zip.dataOffset(entry);
      const bytes = original.slice();
      bytes[start + (entry.compressedSize >> 1)]! ^= 0x40;
      writeFileSync(p, bytes);
      let error: unknown;
      try {
        readWeightsFile(p);
      } catch (e) {
        error = e;
      }
      // Every storage feeds some tensor (derived buffers included: they are verified against the architecture).
      expect(error, entry.name).toBeInstanceOf(SwinError);
      expect((error as Error).message, entry.name).toMatch(/fails its checksum/);
      checked++;
    }
    expect(checked).toBe(storages.length);
    // The unmodified file still loads.
    expect(readWeightsFile(fixturePath('schemes', 'views.pth')).weights.size).toBeGreaterThan(0);
    expect(readFileSync(fixturePath('schemes', 'views.pth'))).toEqual(Buffer.from(original));
  });

  it('a stored entry read only in parts is checked over its whole length, once', () => {
    const data = new Uint8Array(64).map((_, i) => i);
    const good = makeZip([['a/data/0', data]]);
    let crcCalls = 0;
    const open = (bytes: Uint8Array) => {
      const zip = ZipArchive.open(memoryByteSource(bytes), resolveLimits(undefined), { crc32: (d, prev) => (crcCalls++, crc32(d, prev)) });
      return zip.storageSource(zip.entries.get('a/data/0')!, true);
    };
    const src = open(good);
    const part = new Uint8Array(8);
    src.readInto(8, part);
    src.readInto(16, part);
    expect(crcCalls).toBe(1);
    const bad = good.slice();
    bad[30 + 'a/data/0'.length + 60]! ^= 1; // a byte no part read touches
    expect(() => open(bad).readInto(0, part)).toThrow(/fails its checksum/);
  });
});
