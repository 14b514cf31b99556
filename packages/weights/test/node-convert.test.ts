import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SwinError, shapeSize } from '@swin/core';
import { loadWeights, readCheckpoint } from '../src/index.js';
import { convertCheckpointFile, createProgressPrinter, inspectCheckpointFile, readWeightsFile, writeFileAtomically, type ConvertProgress } from '../src/node/index.js';
import { makeZip, zipEntries } from './helpers/craft.js';
import { fixturePath, readFixture } from './helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'swin-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('convertCheckpointFile', () => {
  it('streams a checkpoint to canonical safetensors with progress', async () => {
    const out = join(dir, 'official.safetensors');
    const events: ConvertProgress[] = [];
    const result = await convertCheckpointFile(fixturePath('schemes', 'official.pth'), out, {}, (p) => events.push(p));
    expect(result).toMatchObject({ format: 'pytorch-zip', scheme: 'official', family: 'swin_v1', tensorCount: 63, wrappers: ['model'], warnings: [] });
    expect(result.droppedBuffers).toHaveLength(5);
    expect(statSync(out).size).toBe(result.bytesWritten);
    expect(events).toHaveLength(63);
    expect(events.at(-1)!.writtenBytes).toBe(events.at(-1)!.totalBytes);
    expect(events.every((e, i) => i === 0 || e.writtenBytes > events[i - 1]!.writtenBytes)).toBe(true);
    const written = readCheckpoint(new Uint8Array(readFileSync(out)));
    const canonical = readCheckpoint(readFixture('schemes', 'canonical.safetensors'));
    expect([...written.tensors.keys()]).toEqual([...canonical.tensors.keys()]);
    for (const [n, t] of canonical.tensors) expect(written.tensors.get(n)!.data).toEqual(t.data);
    expect(written.metadata).toMatchObject({ family: 'swin_v1', source_scheme: 'official', source_format: 'pytorch-zip', dtype: 'float32' });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes float16 and adapts on request', async () => {
    const out = join(dir, 'adapted.safetensors');
    const result = await convertCheckpointFile(fixturePath('schemes', 'hf_model.safetensors'), out, { dtype: 'float16', windowSize: 8, numClasses: 0 });
    expect(result.config).toMatchObject({ window_size: 8, img_size: 64, num_classes: 0 });
    const written = readCheckpoint(new Uint8Array(readFileSync(out)));
    expect(written.tensors.get('layers.0.blocks.0.attn.relative_position_bias_table')!).toMatchObject({ dtype: 'float16', shape: [225, 1] });
    expect(written.tensors.has('head.weight')).toBe(false);
    // The converted file loads again with the same architecture.
    const again = loadWeights(new Uint8Array(readFileSync(out)));
    expect(again.config).toEqual(result.config);
    expect(again.scheme).toBe('official');
  });

  it('reads deflated zips in Node; the browser entry says how to fix them', () => {
    const deflated = makeZip(zipEntries(readFixture('schemes', 'official.pth')), true);
    const path = join(dir, 'deflated.pth');
    writeFileSync(path, deflated);
    expect(readWeightsFile(path).weights.size).toBe(63);
    expect(() => loadWeights(deflated)).toThrow(/deflate-compressed; torch.save stores entries uncompressed/);
  });
});

describe('inspectCheckpointFile', () => {
  it('describes format, scheme, architecture and sizes', () => {
    const info = inspectCheckpointFile(fixturePath('schemes', 'torchvision.pth'));
    const canonical = readCheckpoint(readFixture('schemes', 'canonical.safetensors')).tensors;
    expect(info).toMatchObject({ format: 'pytorch-zip', scheme: 'torchvision', family: 'swin_v1', tensorCount: 67, dtypes: { float32: 63, int64: 4 } });
    expect(info.schemeReason).toContain('features.0.0.weight');
    expect(info.parameterCount).toBe([...canonical.values()].reduce((n, t) => n + shapeSize(t.shape), 0));
  });
});

describe('writeFileAtomically', () => {
  it('leaves nothing when the producer fails', async () => {
    const path = join(dir, 'never.bin');
    await expect(
      writeFileAtomically(path, (write) => {
        write(new Uint8Array(1000));
        throw new SwinError('INVALID_FORMAT', 'midway');
      }),
    ).rejects.toThrow('midway');
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('never.bin'))).toEqual([]);
  });

  it('fails with IO_ERROR when the directory does not exist', async () => {
    await expect(writeFileAtomically(join(dir, 'no', 'such', 'dir.bin'), () => {})).rejects.toMatchObject({ code: 'IO_ERROR' });
  });
});

describe('createProgressPrinter', () => {
  const progress = (i: number, n: number): ConvertProgress => ({ writtenBytes: i * 100, totalBytes: n * 100, tensorIndex: i, tensorCount: n, tensorName: `t${i}` });

  it('prints plain lines at every 10% without a TTY', () => {
    const lines: string[] = [];
    const print = createProgressPrinter({ isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream);
    for (let i = 1; i <= 40; i++) print(progress(i, 40));
    expect(lines.length).toBe(11); // the first tensor, then every 10%
    expect(lines.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^converting: 100% \(0\.0\/0\.0 MB, .* tensor 40\/40\)\n$/);
  });

  it('redraws one line on a TTY and ends it', () => {
    const chunks: string[] = [];
    const print = createProgressPrinter({ isTTY: true, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream);
    for (let i = 1; i <= 5; i++) print(progress(i, 5));
    expect(chunks[0]!.startsWith('\rconverting [')).toBe(true);
    expect(chunks.at(-1)).toBe('\n');
  });
});
