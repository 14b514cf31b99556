// Every Node backend classifies examples/ through loadModel with PyTorch's answers (the table in
// examples/README.md, which is also what `swin classify` prints).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/node/index.js';

const root = join(import.meta.dirname, '../../..');
const examples = join(root, 'examples');
const weights = join(root, 'models/default/weights.safetensors');

/** file → [top-1 label, probability] from the README table. */
function expectedAnswers(): Map<string, [string, number]> {
  const rows = readFileSync(join(examples, 'README.md'), 'utf8').matchAll(/^\| `([^`]+)` \| [^|]+ \| ([^|]+) \| ([\d.]+) \|$/gm);
  return new Map([...rows].map((m) => [m[1]!, [m[2]!.trim(), Number(m[3])]]));
}

describe('loadModel classifies examples/ on every Node backend', () => {
  const answers = expectedAnswers();
  const files = readdirSync(examples).filter((f) => /\.(jpg|png|webp)$/.test(f)).sort();

  it('has an answer for every example', () => {
    expect(files.length).toBe(9);
    for (const f of files) expect(answers.has(f), f).toBe(true);
  });

  for (const backend of ['reference', 'onnx', 'tfjs', 'tfjs-wasm', 'auto']) {
    it(backend, async () => {
      const model = await loadModel(weights, { backend });
      try {
        if (backend === 'auto') expect(model.info).toMatchObject({ backend: 'onnx', backendChoice: 'auto' });
        else expect(model.info).toMatchObject({ backend, backendChoice: 'explicit' });
        // a batch size that splits the pictures unevenly: batches of 4, 4 and 1
        const results = await model.classify(files.map((f) => join(examples, f)), { topk: 3, batchSize: 4 });
        expect(results).toHaveLength(files.length);
        files.forEach((f, i) => {
          const [label, probability] = answers.get(f)!;
          expect(results[i]).toHaveLength(3);
          expect(results[i]![0]!.label, f).toBe(label);
          expect(Math.abs(results[i]![0]!.score - probability), f).toBeLessThan(1e-4);
        });
      } finally {
        await model.dispose();
      }
    });
  }
});

describe('loadModel on webgpu (Dawn, in a --max-opt=2 child process)', () => {
  it('classifies examples/ with the same answers', async () => {
    const { hasSwiftShaderIcd, runInDawnProcess } = await import('@swin/backend-webgpu/node');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    if (!hasSwiftShaderIcd()) console.warn('no SwiftShader ICD: Dawn uses whatever adapter it finds');
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-webgpu-'));
    const script = join(dir, 'classify.mjs');
    const entry = join(import.meta.dirname, '../dist/node/index.js');
    const files = readdirSync(examples).filter((f) => /\.(jpg|png|webp)$/.test(f)).sort();
    writeFileSync(
      script,
      `import { loadModel } from ${JSON.stringify(entry)};
const model = await loadModel(${JSON.stringify(weights)}, { backend: 'webgpu' });
const r = await model.classify(${JSON.stringify(files.map((f) => join(examples, f)))}, { topk: 1 });
console.log(JSON.stringify({ backend: model.info.backend, top: r.map((x) => [x[0].label, x[0].score]) }));
await model.dispose();
process.exit(0);`,
    );
    try {
      const r = await runInDawnProcess(script, [], { timeoutMs: 240_000 });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { backend: string; top: [string, number][] };
      expect(out.backend).toBe('webgpu');
      const answers = expectedAnswers();
      files.forEach((f, i) => {
        expect(out.top[i]![0], f).toBe(answers.get(f)![0]);
        expect(Math.abs(out.top[i]![1] - answers.get(f)![1]), f).toBeLessThan(1e-4);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
