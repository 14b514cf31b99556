// sharp is an optional peer: without it, decoding an encoded picture in Node is a one-line error
// naming the install, while pixels and tensors still classify. sharp stays installed; a module
// resolve hook in a child process makes `import('sharp')` fail as it does where it is absent.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const entry = join(import.meta.dirname, '../dist/node/index.js');

const HIDE_SHARP = `export async function resolve(specifier, context, next) {
  if (specifier === 'sharp' || specifier.startsWith('sharp/')) {
    const err = new Error("Cannot find package 'sharp' imported from " + context.parentURL);
    err.code = 'ERR_MODULE_NOT_FOUND';
    throw err;
  }
  return next(specifier, context);
}`;

const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HIDE_SHARP)}`)});`;

const SCRIPT = `import { loadModel } from ${JSON.stringify(entry)};
const model = await loadModel(${JSON.stringify(join(root, 'models/default/weights.safetensors'))}, { backend: 'reference' });
const pixels = { width: 8, height: 8, channels: 3, data: new Uint8Array(192).fill(90) };
const [[top]] = await model.classify(pixels, { topk: 1 });
let error;
try { await model.classify(${JSON.stringify(join(root, 'examples/red-circle.jpg'))}); } catch (e) { error = { name: e.name, code: e.code, message: e.message }; }
console.log(JSON.stringify({ pixelsLabel: top.label, error }));
await model.dispose();`;

describe('without sharp', () => {
  it('an encoded picture is a one-line error naming the install; pixels still classify', () => {
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, '--input-type=module', '-e', SCRIPT], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { pixelsLabel: string; error?: { name: string; code: string; message: string } };
    expect(typeof out.pixelsLabel).toBe('string');
    expect(out.error).toMatchObject({ name: 'SwinError', code: 'INVALID_ARGUMENT' });
    expect(out.error!.message).toMatch(/^decoding pictures in Node needs sharp \(npm install sharp\): Cannot find package 'sharp'/);
    expect(out.error!.message.split('\n')).toHaveLength(1);
  });
});
