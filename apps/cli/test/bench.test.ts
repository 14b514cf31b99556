import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, swin, tempDir } from './cli-helpers.js';

describe('swin bench', () => {
  it('times backends and several --compare files interleaved and writes JSON and Markdown', () => {
    const dir = tempDir();
    const onnxDir = tempDir();
    const weights = join(FIXTURES, 'v1_rand_t32_w4/weights.safetensors');
    expect(swin(['export-onnx', '--weights', weights, '-o', join(onnxDir, 'm.onnx')]).code).toBe(0);
    expect(swin(['export-onnx', '--weights', weights, '-o', join(onnxDir, 'm8.onnx'), '--dtype', 'int8']).code).toBe(0);
    const r = swin(['bench', '--weights', weights, '--backend', 'reference,onnx', '--batch', '1,2', '--runs', '3', '--warmup', '1', '--compare', join(onnxDir, 'm.onnx'), '--compare', join(onnxDir, 'm8.onnx'), '--json', join(dir, 'b.json'), '--markdown', join(dir, 'b.md')]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
    const labels = report.rows.map((x: { label: string }) => x.label);
    expect(labels).toHaveLength(8);
    expect(labels.filter((l: string) => l.includes('m8.onnx'))).toHaveLength(2);
    for (const row of report.rows) {
      expect(row.runs).toBe(3);
      expect(row.minMs).toBeLessThanOrEqual(row.medianMs);
      expect(row.medianMs).toBeLessThanOrEqual(row.maxMs);
    }
    expect(report.peakRssMb).toBeGreaterThan(0);
    expect(report.loadBefore).toHaveLength(3);
    expect(report.settled).toBe(Math.max(report.loadBefore[0], report.loadAfter[0]) <= 1.5);
    expect(r.stdout).toMatch(/load average [\d.]+ [\d.]+ [\d.]+ before, [\d.]+ [\d.]+ [\d.]+ after: (settled|NOT SETTLED)/);
    const md = readFileSync(join(dir, 'b.md'), 'utf8');
    expect(md).toMatch(/\| candidate \| batch \| median ms/);
    expect(md).toMatch(/load average .* (settled|NOT SETTLED)/);
  });

  it('refuses bad options', () => {
    expect(swin(['bench', '--runs', '0']).code).toBe(2);
    expect(swin(['bench', '--backend', 'cuda']).code).toBe(2);
    expect(swin(['bench', '--variant', 'swin-z']).code).toBe(2);
  });
});
