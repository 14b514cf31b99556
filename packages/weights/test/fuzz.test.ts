import { mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shapeSize, SwinError } from '@swin/core';
import { loadWeights, memoryByteSource, resolveLimits, ZipArchive } from '../src/index.js';
import { convertCheckpointFile } from '../src/node/index.js';
import { readFixture } from './helpers/fixtures.js';
import { bitFlips, inflateJsonNumber, inflateLength, inflateOpcodeLength, randomBytes, Rng, splice, truncate, type Mutation } from './helpers/mutations.js';

// A mutation fuzzer over the fixture checkpoints: every mutated file must end in a typed error
// (a SwinError) or a valid result; a crash (any other exception), a hang (the test timeout) or an
// unbounded allocation (the RSS check) fails. SWIN_FUZZ_CASES sets the case count (default 3000;
// `pnpm fuzz` runs 200,000); SWIN_FUZZ_SEED the seed.

const CASES = Number(process.env['SWIN_FUZZ_CASES'] ?? 3000);
const SEED = Number(process.env['SWIN_FUZZ_SEED'] ?? 20240601);
/** Share of cases also run through the streaming Node converter (file I/O makes them slower). */
const CONVERT_EVERY = 25;

interface Target {
  name: string;
  bytes: Uint8Array;
  mutations: Mutation[];
}

/** [start, end) of data.pkl inside a zip fixture: where the unpickler's input lives. */
function pickleRange(bytes: Uint8Array): [number, number] {
  const zip = ZipArchive.open(memoryByteSource(bytes), resolveLimits(undefined));
  const entry = [...zip.entries.values()].find((e) => e.name.endsWith('data.pkl'))!;
  const start = zip.dataOffset(entry);
  return [start, start + entry.compressedSize];
}

function targets(): Target[] {
  const generic: Mutation[] = [bitFlips(), truncate, inflateLength(), splice, randomBytes()];
  const PICKLE_LENGTH_OPS = [0x58, 0x54, 0x42, 0x8d, 0x8e, 0x72, 0x6a, 0x4a, 0x8b];
  const out: Target[] = [];
  for (const file of ['official.pth', 'official_fp16.pth', 'views.pth', 'torchvision.pth', 'hf_pytorch_model.bin']) {
    const bytes = readFixture('schemes', file);
    const [a, b] = pickleRange(bytes);
    // Zip tail: end-of-central-directory and central directory.
    const tail = Math.max(0, bytes.length - 8000);
    out.push({ name: file, bytes, mutations: [...generic, bitFlips(a, b), bitFlips(a, b), inflateOpcodeLength(PICKLE_LENGTH_OPS, a, b), randomBytes(a, b), inflateLength(tail), bitFlips(tail)] });
  }
  const legacy = readFixture('schemes', 'official_legacy.pth');
  out.push({ name: 'official_legacy.pth', bytes: legacy, mutations: [...generic, bitFlips(0, 8000), bitFlips(0, 8000), inflateOpcodeLength(PICKLE_LENGTH_OPS, 0, 8000), randomBytes(0, 8000), inflateLength(7800, 8200)] });
  for (const file of ['hf_model.safetensors', 'canonical_bf16.safetensors']) {
    const bytes = readFixture('schemes', file);
    const headerEnd = 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    out.push({ name: file, bytes, mutations: [...generic, bitFlips(0, headerEnd), inflateJsonNumber(headerEnd), inflateJsonNumber(headerEnd), inflateLength(0, 8), randomBytes(8, headerEnd)] });
  }
  return out;
}

/** A successful load must be internally consistent. */
function checkValid(r: ReturnType<typeof loadWeights>): void {
  for (const [name, t] of r.weights) {
    if (t.data.length !== shapeSize(t.shape)) throw new Error(`'${name}': ${t.data.length} elements for shape [${t.shape}]`);
  }
  if (r.config.family !== r.family) throw new Error(`a ${r.family} checkpoint with a ${r.config.family} config`);
}

describe('mutation fuzzer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swin-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`${CASES} mutated checkpoints end in a typed error or a valid result`, { timeout: Math.max(300_000, CASES * 100) }, async () => {
    const all = targets();
    const rng = new Rng(SEED);
    const outcomes = new Map<string, number>();
    const crashes: string[] = [];
    let peakRss = process.memoryUsage().rss;
    let slowest = { ms: 0, what: '' };
    let converted = 0;
    for (let i = 0; i < CASES; i++) {
      const target = all[i % all.length]!;
      let bytes = target.bytes;
      const steps = 1 + (rng.float() < 0.3 ? rng.int(3) : 0);
      for (let s = 0; s < steps; s++) bytes = rng.pick(target.mutations)(bytes, rng);
      // Checksums off for most cases so corrupted pickles reach the unpickler instead of failing the CRC.
      const verifyChecksums = rng.float() < 0.15;
      const what = `case ${i} (seed ${SEED}, ${target.name}, checksums ${verifyChecksums})`;
      const t0 = performance.now();
      let outcome: string;
      try {
        checkValid(loadWeights(bytes, { verifyChecksums }));
        outcome = 'valid';
      } catch (e) {
        if (e instanceof SwinError) outcome = e.code;
        else {
          outcome = 'CRASH';
          crashes.push(`${what}: ${(e as Error)?.stack ?? String(e)}`);
        }
      }
      if (i % CONVERT_EVERY === 0) {
        const input = join(dir, 'in.bin');
        const out = join(dir, 'out.safetensors');
        writeFileSync(input, bytes);
        try {
          await convertCheckpointFile(input, out, { verifyChecksums });
          converted++;
          rmSync(out);
        } catch (e) {
          if (!(e instanceof SwinError)) crashes.push(`${what} (convert): ${(e as Error)?.stack ?? String(e)}`);
          if (existsSync(out)) crashes.push(`${what} (convert): failed but left ${out}`);
        }
      }
      const ms = performance.now() - t0;
      if (ms > slowest.ms) slowest = { ms, what };
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (i % 50 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const summary = [...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`fuzz: ${CASES} cases (seed ${SEED}): ${summary}; ${converted} streamed conversions succeeded; slowest case ${slowest.ms.toFixed(0)} ms (${slowest.what}); peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
    expect(crashes.slice(0, 5)).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Every allocation is bounded by the (small) fixture sizes; a runaway one would show here.
    expect(peakRss).toBeLessThan(1.5 * 2 ** 30);
    expect(outcomes.get('valid') ?? 0).toBeGreaterThan(0);
  });
});
