import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SwinError } from '@swin/core';
import { writeOnnxFile } from '../src/node.js';

describe('writeOnnxFile', () => {
  it('replaces the destination atomically and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swin-onnx-'));
    const path = join(dir, 'model.onnx');
    writeFileSync(path, 'old');
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);
    await writeOnnxFile(path, bytes);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    expect(readdirSync(dir)).toEqual(['model.onnx']);
  });

  it('fails with an IO_ERROR naming the path, leaving nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swin-onnx-'));
    const path = join(dir, 'missing-dir', 'model.onnx');
    await expect(writeOnnxFile(path, new Uint8Array(4))).rejects.toThrow(SwinError);
    await expect(writeOnnxFile(path, new Uint8Array(4))).rejects.toMatchObject({ code: 'IO_ERROR' });
    await expect(writeOnnxFile(join(dir, 'x', 'y.onnx'), new Uint8Array(4))).rejects.toThrow(/x\/y\.onnx/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
