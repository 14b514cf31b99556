// The README's Node example runs as written: `loadModel('swin-t')` with swin-t in the cache (as
// `swin fetch` leaves it; random weights of the right architecture), no network, a cat.jpg.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomSwinV1Weights, type SwinV1Config } from '@swin/core';
import { findVariant, IMAGENET_1K_CLASSES } from '@swin/variants';
import { writeSafetensors } from '@swin/weights';
import { describe, expect, it } from 'vitest';
import { readmeExample } from './readme-code.js';

const PKG = join(import.meta.dirname, '..');
const ROOT = join(PKG, '../..');

describe('README', () => {
  it('the Node example is three lines and runs as written', () => {
    const code = readmeExample('**Node**');
    expect(code.trim().split('\n')).toHaveLength(3);
    const cache = mkdtempSync(join(tmpdir(), 'pipeline-readme-cache-'));
    // the script lives in the package so `@swin/pipeline` resolves (a package may import itself by name)
    const work = join(PKG, `.readme-run-${process.pid}`);
    mkdirSync(work, { recursive: true });
    try {
      const variant = findVariant('swin-t');
      writeFileSync(join(cache, `${variant.id}.safetensors`), writeSafetensors(randomSwinV1Weights(variant.config as SwinV1Config, 1)));
      copyFileSync(join(ROOT, 'examples/red-circle.jpg'), join(work, 'cat.jpg'));
      writeFileSync(join(work, 'example.mjs'), `${code}\nconsole.log(JSON.stringify({ top, backend: model.info.backend }));\nawait model.dispose();\n`);
      const r = spawnSync(process.execPath, ['example.mjs'], { cwd: work, env: { ...process.env, SWIN_CACHE_DIR: cache }, encoding: 'utf8', timeout: 180_000 });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { top: { label: string; score: number; index: number }[]; backend: string };
      expect(out.backend).toBe('onnx');
      expect(out.top).toHaveLength(5);
      for (const c of out.top) expect(c.label).toBe(IMAGENET_1K_CLASSES[c.index]);
      expect(out.top[0]!.score).toBeGreaterThanOrEqual(out.top[4]!.score);
    } finally {
      rmSync(cache, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  }, 240_000);
});
