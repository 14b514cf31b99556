import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DAWN_NODE_FLAGS, createDawnGpu, isDawnSafeProcess, runInDawnProcess } from '../src/node/index.js';

const coreEntry = fileURLToPath(import.meta.resolve('@swin/core'));

describe('Dawn process helpers', () => {
  it('reports this worker as Dawn-safe (it runs with --max-opt=2)', () => {
    expect(isDawnSafeProcess()).toBe(true);
    expect(DAWN_NODE_FLAGS).toEqual(['--max-opt=2']);
  });

  it('refuses Dawn without the flag unless told otherwise, with a typed error naming the fix', async () => {
    const saved = process.execArgv;
    Object.defineProperty(process, 'execArgv', { value: [], configurable: true });
    try {
      await expect(createDawnGpu({ adapter: 'swiftshader' })).rejects.toThrow(/--max-opt=2/);
    } finally {
      Object.defineProperty(process, 'execArgv', { value: saved, configurable: true });
    }
  });

  it('runInDawnProcess runs a script with the flag and the registry entry works there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swin-dawn-'));
    try {
      const script = join(dir, 'probe.mjs');
      const nodeEntry = fileURLToPath(new URL('../dist/node/index.js', import.meta.url));
      writeFileSync(
        script,
        `import { createBackend, GraphBuilder, tensor } from ${JSON.stringify(coreEntry)};
import ${JSON.stringify(nodeEntry)};
const b = new GraphBuilder(true);
b.output(b.gelu(b.input('x', 'float32', [1, 4])));
const backend = await createBackend('webgpu');
const exe = await backend.compile(b.build());
const out = await exe.run({ x: tensor('float32', [1, 4], new Float32Array([-1, 0, 1, 2])) });
console.log(JSON.stringify({ argv: process.execArgv, y: Array.from(Object.values(out)[0].data) }));
await backend.dispose();
`,
      );
      const r = await runInDawnProcess(script, [], { timeoutMs: 300_000 });
      expect(r.code, r.stderr).toBe(0);
      const line = JSON.parse(r.stdout.trim().split('\n').pop()!) as { argv: string[]; y: number[] };
      expect(line.argv).toContain('--max-opt=2');
      expect(line.y[0]).toBeCloseTo(-0.158655, 5);
      expect(line.y[3]).toBeCloseTo(1.954500, 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
