import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The main entry must run in browsers: no Node built-ins outside src/node.
const SRC = join(import.meta.dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('browser safety', () => {
  const portable = files(SRC).filter((f) => !relative(SRC, f).startsWith('node'));
  it.each(portable.map((f) => relative(SRC, f)))('%s uses no Node APIs', (file) => {
    const text = readFileSync(join(SRC, file), 'utf8');
    expect(text).not.toMatch(/from ['"](node:|fs|path|os|zlib|crypto|child_process|buffer)/);
    expect(text).not.toMatch(/\b(Buffer|process|require|__dirname)\b[.(]/);
  });
  it('the index does not re-export the node entry', () => {
    expect(readFileSync(join(SRC, 'index.ts'), 'utf8')).not.toMatch(/\.\/node\//);
  });
});
