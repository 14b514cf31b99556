import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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
    expect(typeof report.settled).toBe('boolean');
    if (process.platform === 'linux') {
      expect(report.othersCores).toBeGreaterThanOrEqual(0);
      expect(report.settled).toBe(report.loadBefore[0] <= 1.5 && report.othersCores <= 0.25);
    }
    expect(r.stdout).toMatch(/load average [\d.]+ [\d.]+ [\d.]+ before, [\d.]+ [\d.]+ [\d.]+ after; other processes [\d.]+ cores during the runs: (settled|NOT SETTLED)/);
    // No --threads: onnx and the --compare files run on the machine's cores, reference has no setting.
    const threadsOf = (backend: string) => [...new Set(report.rows.filter((x: { backend: string }) => x.backend === backend).map((x: { threads: number | null }) => x.threads))];
    expect(threadsOf('reference')).toEqual([null]);
    expect(threadsOf('onnx')).toEqual([availableParallelism()]);
    expect(threadsOf('onnx-file')).toEqual([availableParallelism()]);
    const md = readFileSync(join(dir, 'b.md'), 'utf8');
    expect(md).toMatch(/\| candidate \| batch \| threads \| median ms/);
    expect(md).toMatch(/load average .* (settled|NOT SETTLED)/);
  });

  it('gives --threads to the backends with a thread setting and says which have none', () => {
    const dir = tempDir();
    const weights = join(FIXTURES, 'v1_rand_t32_w4/weights.safetensors');
    const r = swin(['bench', '--weights', weights, '--backend', 'reference,onnx', '--threads', '1', '--runs', '1', '--warmup', '0', '--json', join(dir, 'b.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\| candidate \| batch \| threads \|/);
    expect(r.stdout).toMatch(/\| reference b1 \| 1 \| n\/a \|/);
    expect(r.stdout).toMatch(/\| onnx b1 \| 1 \| 1 \|/);
    expect(r.stdout).toContain('--threads 1 does not apply to reference: no thread setting (threads n/a)');
    const report = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
    expect(report.threadsRequested).toBe(1);
    expect(report.rows.map((x: { threads: number | null }) => x.threads)).toEqual([null, 1]);
  });

  it('refuses bad options', () => {
    for (const bad of ['0', '1.5', 'two', '', '257']) {
      const r = swin(['bench', '--threads', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr.trim().split('\n'), bad).toHaveLength(1);
      expect(r.stderr).toMatch(/--threads: expected (a positive integer|at most 256), found/);
    }
    expect(swin(['bench', '--runs', '0']).code).toBe(2);
    expect(swin(['bench', '--backend', 'cuda']).code).toBe(2);
    expect(swin(['bench', '--variant', 'swin-z']).code).toBe(2);
  });
});
