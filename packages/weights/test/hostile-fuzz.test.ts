import { describe, expect, it } from 'vitest';
import { FormatError, SwinError } from '@swin/core';
import { memoryByteSource, readCheckpoint, resolveLimits, TORCH_ALLOWED_GLOBALS, unpickle, ZipArchive } from '../src/index.js';
import { ByteCursor } from '../src/bytes/byte-cursor.js';
import { nodeInflateRaw } from '../src/node/index.js';
import { deflatedTorchZip, opcodeFlood, stateDictPickle, type CraftedTensor } from './helpers/bombs.js';
import { makeZip } from './helpers/craft.js';
import { dangerousGlobals, hostilePickle } from './helpers/hostile-pickles.js';
import { Rng } from './helpers/mutations.js';

// A generator fuzzer for what the mutation fuzzer cannot reach by chance: pickles naming Python's
// dangerous callables every way the format allows (each must be refused as UNSAFE_PICKLE), value
// floods (LIMIT_EXCEEDED at the object limit), random opcode programs, storages with bad CRCs
// (shared by several views or not), and deflated storages larger than what their tensors need.
// SWIN_HOSTILE_CASES sets the count (default 12,000, ~10 s); SWIN_FUZZ_SEED the seed. The long run
// (1,000,000 cases) is `pnpm fuzz:hostile`.

const CASES = Number(process.env['SWIN_HOSTILE_CASES'] ?? 12_000);
const SEED = Number(process.env['SWIN_FUZZ_SEED'] ?? 20240601);
const HANG_MS = 5000;

function run(bytes: Uint8Array, maxObjects?: number) {
  return unpickle(new ByteCursor(memoryByteSource(bytes), 0, bytes.length), { label: 'fuzz.pkl', globals: TORCH_ALLOWED_GLOBALS, persistentLoad: () => null, maxObjects });
}

/** The allow-list, exactly: adding any global (builtins.getattr with a handler passed every test once) must fail here. */
const EXPECTED_ALLOW_LIST: readonly [string, 'callable' | 'value'][] = [
  ['_codecs.encode', 'callable'],
  ['builtins.frozenset', 'callable'],
  ['builtins.set', 'callable'],
  ['collections.OrderedDict', 'callable'],
  ['torch.BFloat16Storage', 'value'],
  ['torch.BoolStorage', 'value'],
  ['torch.ByteStorage', 'value'],
  ['torch.CharStorage', 'value'],
  ['torch.DoubleStorage', 'value'],
  ['torch.FloatStorage', 'value'],
  ['torch.HalfStorage', 'value'],
  ['torch.IntStorage', 'value'],
  ['torch.LongStorage', 'value'],
  ['torch.ShortStorage', 'value'],
  ['torch.Size', 'callable'],
  ['torch.Tensor', 'value'],
  ['torch.UntypedStorage', 'value'],
  ['torch._tensor._rebuild_from_type_v2', 'callable'],
  ['torch._utils._rebuild_parameter', 'callable'],
  ['torch._utils._rebuild_parameter_with_state', 'callable'],
  ['torch._utils._rebuild_tensor', 'callable'],
  ['torch._utils._rebuild_tensor_v2', 'callable'],
  ['torch._utils._rebuild_tensor_v3', 'callable'],
  ['torch.bfloat16', 'value'],
  ['torch.bool', 'value'],
  ['torch.device', 'callable'],
  ['torch.double', 'value'],
  ['torch.float', 'value'],
  ['torch.float16', 'value'],
  ['torch.float32', 'value'],
  ['torch.float64', 'value'],
  ['torch.half', 'value'],
  ['torch.int', 'value'],
  ['torch.int16', 'value'],
  ['torch.int32', 'value'],
  ['torch.int64', 'value'],
  ['torch.int8', 'value'],
  ['torch.long', 'value'],
  ['torch.nn.parameter.Parameter', 'value'],
  ['torch.short', 'value'],
  ['torch.uint8', 'value'],
];

describe('the unpickler allow-list', () => {
  it('is exactly the globals torch.load(weights_only=True) needs for tensors, no more', () => {
    const actual = [...TORCH_ALLOWED_GLOBALS].map(([name, h]) => [name, h.call ? 'callable' : 'value'] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(actual).toEqual(EXPECTED_ALLOW_LIST);
  });

  it('refuses every dangerous global in every naming form and use', () => {
    const rng = new Rng(SEED);
    let refused = 0;
    for (const [module, name] of dangerousGlobals()) {
      expect(TORCH_ALLOWED_GLOBALS.has(`${module}.${name}`), `${module}.${name}`).toBe(false);
      for (let k = 0; k < 8; k++) {
        const { bytes, what } = hostilePickle(rng, module, name);
        const e = errorOf(() => run(bytes));
        expect(e?.code, `${what}: ${e?.message}`).toBe('UNSAFE_PICKLE');
        expect(e!.message).toContain(`'${module}.${name}'`);
        refused++;
      }
    }
    expect(refused).toBe(dangerousGlobals().length * 8);
    expect(dangerousGlobals().length).toBeGreaterThan(200);
  });
});

function errorOf(f: () => unknown): SwinError | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof SwinError) return e;
    throw e;
  }
  return undefined;
}

/** Opcodes that make a value each (so a flood of them must hit the object limit). */
const VALUE_OPS = [0x29, 0x7d, 0x5d, 0x8f, 0x28, 0x32, 0x94, 0x4e, 0x88, 0x89];
/** The opcode alphabet of random programs (arguments follow as random bytes). */
const ALPHABET = [0x28, 0x29, 0x2e, 0x30, 0x31, 0x32, 0x4a, 0x4b, 0x4d, 0x4e, 0x51, 0x52, 0x58, 0x5d, 0x61, 0x62, 0x63, 0x65, 0x68, 0x69, 0x6c, 0x6f, 0x71, 0x72, 0x73, 0x74, 0x75, 0x7d, 0x80, 0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95];

/** A small torch zip: three tensors, two of them views sharing one storage (as q/k slices of a qkv). */
function sharedStorageZip(): { bytes: Uint8Array; storages: string[] } {
  const tensors: CraftedTensor[] = [
    { name: 'a', key: '0', storageNumel: 16, viewNumel: 8 },
    { name: 'b', key: '0', storageNumel: 16, viewNumel: 8, offset: 8 },
    { name: 'c', key: '1', storageNumel: 4, viewNumel: 4 },
  ];
  const data = (n: number) => new Uint8Array(Float32Array.from({ length: n }, (_, i) => i / 7).buffer);
  return { bytes: makeZip([['archive/data.pkl', stateDictPickle(tensors)], ['archive/data/0', data(16)], ['archive/data/1', data(4)]]), storages: ['archive/data/0', 'archive/data/1'] };
}

describe('generator fuzzer', () => {
  it(`${CASES} generated hostile inputs are refused with typed errors`, { timeout: Math.max(120_000, CASES * 20) }, () => {
    const rng = new Rng(SEED);
    const globals = dangerousGlobals();
    const shared = sharedStorageZip();
    const sharedZip = ZipArchive.open(memoryByteSource(shared.bytes), resolveLimits(undefined));
    const outcomes = new Map<string, number>();
    const failures: string[] = [];
    let slowest = { ms: 0, what: '' };
    const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    const msByKind = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      const kind = rng.pick(['global', 'global', 'global', 'global', 'flood', 'flood', 'random', 'random', 'random', 'crc', 'crc', 'zip-bomb'] as const);
      const t0 = performance.now();
      let what = `case ${i} (seed ${SEED}) ${kind}`;
      try {
        if (kind === 'global') {
          const [m, n] = rng.pick(globals);
          const h = hostilePickle(rng, m, n);
          what += `: ${h.what}`;
          const e = errorOf(() => run(h.bytes));
          if (e?.code !== 'UNSAFE_PICKLE') failures.push(`${what}: ${e?.code ?? 'no error'} ${e?.message ?? ''}`);
          count('global refused');
        } else if (kind === 'flood') {
          const op = rng.pick(VALUE_OPS);
          const limit = 50 + rng.int(1000);
          const n = limit + 1 + rng.int(1000);
          what += `: 0x${op.toString(16)} x ${n}, limit ${limit}`;
          const e = errorOf(() => run(opcodeFlood(op, n), limit));
          if (e?.code !== 'LIMIT_EXCEEDED') failures.push(`${what}: ${e?.code ?? 'no error'} ${e?.message ?? ''}`);
          count('flood refused');
        } else if (kind === 'random') {
          const ops: number[] = [0x80, rng.int(6)];
          const len = 1 + rng.int(40);
          for (let k = 0; k < len; k++) {
            ops.push(rng.pick(ALPHABET));
            for (let a = rng.int(5); a > 0; a--) ops.push(rng.float() < 0.3 ? 0x0a : rng.int(256));
          }
          if (rng.float() < 0.7) ops.push(0x2e);
          const e = errorOf(() => run(Uint8Array.from(ops), 10_000));
          count(e ? `random ${e.code}` : 'random value');
        } else if (kind === 'crc') {
          const bytes = shared.bytes.slice();
          const entry = sharedZip.entries.get(rng.pick(shared.storages))!;
          const start = sharedZip.dataOffset(entry);
          if (rng.float() < 0.8) {
            bytes[start + rng.int(entry.compressedSize)]! ^= 1 + rng.int(255);
            what += `: byte flipped in ${entry.name}`;
          } else {
            // The stored CRC itself (central directory) altered.
            const cd = sharedZip.directoryOffset;
            const at = findEntryCrc(bytes, cd, entry.name);
            bytes[at + rng.int(4)]! ^= 1 + rng.int(255);
            what += `: directory CRC of ${entry.name} altered`;
          }
          const e = errorOf(() => readCheckpoint(bytes));
          if (!(e instanceof FormatError) || !/fails its checksum/.test(e.message)) failures.push(`${what}: ${e?.code ?? 'loaded changed weights'} ${e?.message ?? ''}`);
          count('crc refused');
        } else {
          // Deflated storages declaring more than their views use, or inflating past what they declare.
          const views = 1 + rng.int(4);
          const storageNumel = 1024 * (2 + rng.int(6)); // over the 4096-byte aliasing limit set below
          const oversized = rng.float() < 0.5;
          const tensors: CraftedTensor[] = Array.from({ length: views }, (_, k) => ({ name: `t${k}`, key: String(k), storageNumel, viewNumel: 1 + rng.int(8) }));
          const payload = new Uint8Array(storageNumel * 4 + (oversized ? 4 * (1 + rng.int(256)) : 0));
          const bytes = deflatedTorchZip(stateDictPickle(tensors), tensors.map((t) => [t.key, payload]));
          what += `: ${views} deflated storages of ${storageNumel} floats${oversized ? ', entries larger than declared' : ''}`;
          const e = errorOf(() => readCheckpoint(bytes, { inflateRaw: nodeInflateRaw, limits: { maxAliasedBytes: 4096 } }));
          if (e?.code !== 'LIMIT_EXCEEDED') failures.push(`${what}: ${e?.code ?? 'no error'} ${e?.message ?? ''}`);
          count('zip bomb refused');
        }
      } catch (e) {
        failures.push(`${what}: CRASH ${(e as Error)?.stack ?? String(e)}`);
      }
      const ms = performance.now() - t0;
      msByKind.set(kind, (msByKind.get(kind) ?? 0) + ms);
      if (ms > slowest.ms) slowest = { ms, what };
    }
    const summary = [...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(`hostile fuzz: ${CASES} cases (seed ${SEED}): ${summary}; ${failures.length} failures; slowest ${slowest.ms.toFixed(1)} ms (${slowest.what}); peak RSS ${rss.toFixed(0)} MiB; ms by kind ${[...msByKind].map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(slowest.ms).toBeLessThan(HANG_MS);
  });
});

/** Offset of the CRC-32 field of an entry's central directory record. */
function findEntryCrc(bytes: Uint8Array, cdOffset: number, name: string): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  const dec = new TextDecoder();
  let p = cdOffset;
  while (dv.getUint32(p, true) === 0x02014b50) {
    const nameLen = dv.getUint16(p + 28, true);
    const extra = dv.getUint16(p + 30, true);
    const comment = dv.getUint16(p + 32, true);
    if (dec.decode(bytes.subarray(p + 46, p + 46 + nameLen)) === name) return p + 16;
    p += 46 + nameLen + extra + comment;
  }
  throw new Error(`no directory entry for ${name}`);
}
