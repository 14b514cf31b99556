import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, swin, tempDir } from './cli-helpers.js';

const MODEL = join(ROOT, 'models/default');
const HELDOUT = join(MODEL, 'heldout');
const EXAMPLES = ['blue-heart.png', 'green-triangle.png', 'red-circle.jpg', 'yellow-heart.jpg', 'red-square.webp'].map((f) => join(ROOT, 'examples', f));

interface Classified {
  backend: string;
  results: { file: string; top?: { label: string; probability: number; index: number }[]; error?: string }[];
}

function classify(args: string[]): { code: number; json: Classified; stderr: string } {
  const r = swin(['classify', ...args, '--json']);
  return { code: r.code, json: JSON.parse(r.stdout) as Classified, stderr: r.stderr };
}

describe('swin classify', () => {
  it('names what the sample pictures show, with the default model (JPEG, PNG, WebP)', () => {
    const r = classify([...EXAMPLES, '--backend', 'reference']);
    expect(r.code).toBe(0);
    for (const res of r.json.results) {
      const expected = res.file.split('/').pop()!.replace(/\.\w+$/, '').replace('-', ' ');
      expect(res.top![0]!.label, res.file).toBe(expected);
    }
  });

  it('prints readable lines without --json', () => {
    const r = swin(['classify', EXAMPLES[0]!, '--backend', 'reference', '--top', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/blue-heart\.png: blue heart \(\d+\.\d%\)\n {4}\S/);
  });

  it('reports a corrupt file, still classifies the rest, and exits 1', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    writeFileSync(join(dir, 'notes.png'), 'not a picture');
    const r = classify([join(dir, 'broken.jpg'), EXAMPLES[1]!, join(dir, 'notes.png'), '--backend', 'reference']);
    expect(r.code).toBe(1);
    expect(r.json.results.map((x) => (x.error ? 'error' : x.top![0]!.label))).toEqual(['error', 'green triangle', 'error']);
    expect(r.json.results[0]!.error).toMatch(/broken\.jpg: expected a JPEG, PNG or WebP image/);
  });

  it('refuses a bad command line', () => {
    expect(swin(['classify']).code).toBe(2);
    expect(swin(['classify', EXAMPLES[0]!, '--top', 'zero']).code).toBe(2);
  });
});

describe('held-out accuracy of the default model, every backend', () => {
  const labels = JSON.parse(readFileSync(join(HELDOUT, 'labels.json'), 'utf8')) as { file: string; label: number }[];
  const pytorch = JSON.parse(readFileSync(join(MODEL, 'accuracy.json'), 'utf8')) as { correct: number; count: number };

  for (const backend of ['reference', 'onnx', 'tfjs', 'tfjs-wasm', 'webgpu']) {
    it(`${backend}: reaches PyTorch's ${pytorch.correct}/${pytorch.count}`, () => {
      const r = classify([...labels.map((l) => join(HELDOUT, l.file)), '--backend', backend, '--batch', '48', '--top', '1']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.backend).toBe(backend);
      const correct = r.json.results.filter((res, i) => res.top![0]!.index === labels[i]!.label).length;
      console.log(`${backend}: ${correct}/${labels.length} correct (PyTorch ${pytorch.correct}/${pytorch.count})`);
      expect(correct).toBeGreaterThanOrEqual(pytorch.correct);
    });
  }
});
