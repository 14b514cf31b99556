import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { readWeightsFile } from '@swin/weights/node';
import { writeSafetensors } from '@swin/weights';
import { describe, expect, it } from 'vitest';
import { CLI, FIXTURES, ROOT, filesIn, swin, tempDir } from './cli-helpers.js';

// Each case is one failure found by the adversarial run of issue 14, reproduced through the built CLI.

const WEIGHTS = join(FIXTURES, 'v1_rand_t32_w4/weights.safetensors');
const INPUT = join(FIXTURES, 'v1_rand_t32_w4/input.npy');
const DEFAULT_MODEL = join(ROOT, 'apps/cli/default-model');
const PICTURE = join(ROOT, 'examples/blue-heart.png');

/** One line on stderr, no stack trace, the expected exit code. */
function expectOneLine(r: { code: number; stdout: string; stderr: string }, code: number, pattern: RegExp): void {
  expect(r.stderr, r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code, r.stderr).toBe(code);
}

/** A copy of the default model (weights, config, classes, preprocessing) in a fresh directory. */
function modelCopy(): string {
  const dir = tempDir();
  for (const f of readdirSync(DEFAULT_MODEL)) copyFileSync(join(DEFAULT_MODEL, f), join(dir, f));
  return dir;
}

/** A PNG with only a header: `metadata()` reads its size, decoding it would fail. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(width + 1))), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('sizes from flags or configs are checked against the memory limit before allocating', () => {
  it('convert --window 20000 is refused naming the size, and leaves no file', () => {
    const dir = tempDir();
    const r = swin(['convert', WEIGHTS, '-o', join(dir, 'out.safetensors'), '--window', '20000'], { SWIN_MAX_MEMORY: '4G' });
    expectOneLine(r, 1, /LIMIT_EXCEEDED.*relative_position_bias_table.*needs 12\.8 GB, more than the memory limit of 4\.3 GB.*--max-memory/);
    expect(filesIn(dir)).toEqual([]);
  });

  it('convert --num-classes 100000000 is refused naming the size', () => {
    const dir = tempDir();
    const r = swin(['convert', WEIGHTS, '-o', join(dir, 'out.safetensors'), '--num-classes', '100000000', '--max-memory', '2G']);
    expectOneLine(r, 1, /zero-initialised 'head\.weight' \[100000000,32\] needs 12\.8 GB/);
    expect(filesIn(dir)).toEqual([]);
  });

  it('info with img_size 20000 is refused under the limit; img_size 100000 (a RangeError before) always', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '20k.json'), '{"img_size":20000}');
    writeFileSync(join(dir, '100k.json'), '{"img_size":100000}');
    writeFileSync(join(dir, '4k.json'), '{"img_size":4000}');
    expectOneLine(swin(['info', WEIGHTS, '--config', join(dir, '20k.json')], { SWIN_MAX_MEMORY: '1G' }), 1, /shift mask \[1562500,1,16,16\] for a 5000x5000 map needs 1\.6 GB, more than the memory limit of 1\.1 GB/);
    // At 4000 the first mask (64 MB) fits 70 MB, the next ones do not fit beside it: the operation's total is bounded.
    expectOneLine(swin(['info', WEIGHTS, '--config', join(dir, '4k.json'), '--max-memory=70M']), 1, /counting MACs \(building the model graph\) needs more than \d+\.\d MB \(reached at shift mask/);
    expectOneLine(swin(['info', WEIGHTS, '--config', join(dir, '100k.json')], { SWIN_MAX_MEMORY: '32G' }), 1, /shift mask \[39062500,1,16,16\] .* needs 40\.0 GB/);
  });

  it('bench --size 100000x100000 is refused, not a RangeError', () => {
    expectOneLine(swin(['bench', '--weights', WEIGHTS, '--size', '100000x100000', '--runs', '1', '--warmup', '0', '--max-memory', '8G']), 1, /LIMIT_EXCEEDED.*needs 40\.0 GB/);
  });

  it('a model too large to compile is refused before compiling (activations at the batch asked for)', () => {
    // The input (200 MB) fits 256 MB; the graph's constants and activations (about 640 MB before lowering) do not.
    const r = swin(['bench', '--weights', WEIGHTS, '--size', '64x64', '--batch', '4096', '--runs', '1', '--warmup', '0', '--max-memory', '256M']);
    expectOneLine(r, 1, /LIMIT_EXCEEDED\]: compiling the model \(\d+ ops, constants plus activations at batch 4096\) needs \d+\.\d [MG]B, more than the memory limit of 268\.4 MB/);
  });

  it('a bad --max-memory / SWIN_MAX_MEMORY is a bad command line', () => {
    expectOneLine(swin(['info', WEIGHTS, '--max-memory', 'lots']), 2, /--max-memory: expected a size such as 512M/);
    expectOneLine(swin(['info', WEIGHTS], { SWIN_MAX_MEMORY: '-1' }), 2, /SWIN_MAX_MEMORY: expected a size/);
  });
});

describe('pictures', () => {
  it('a picture over the pixel limit is refused from its header (16000x16000 in a few hundred bytes), the others classified', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'huge.png'), pngHeaderOnly(16000, 16000));
    const r = swin(['classify', join(dir, 'huge.png'), PICTURE, '--backend', 'reference', '--json']);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout).results as { file: string; error?: string; top?: unknown[] }[];
    expect(results[0]!.error).toMatch(/16000x16000 is 256\.0 megapixels, more than the limit of 64\.0 \(raise it with --max-pixels N or SWIN_MAX_PIXELS\)/);
    expect(results[1]!.top).toBeDefined();
  });

  it('--max-pixels and SWIN_MAX_PIXELS set the limit', () => {
    expect(swin(['classify', PICTURE, '--backend', 'reference', '--max-pixels', '100']).stderr).toMatch(/more than the limit of 0\.0/);
    expect(swin(['classify', PICTURE, '--backend', 'reference'], { SWIN_MAX_PIXELS: '100' }).code).toBe(1);
    expect(swin(['classify', PICTURE, '--backend', 'reference'], { SWIN_MAX_PIXELS: '100000000' }).code).toBe(0);
  });

  it('large pictures are decoded one at a time: eight 3000x3000 pictures at --batch 8 stay far below their decoded total', async () => {
    const dir = tempDir();
    const png = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: { r: 40, g: 90, b: 200 } } }).png().toBuffer();
    const files = Array.from({ length: 8 }, (_, i) => join(dir, `p${i}.png`));
    for (const f of files) writeFileSync(f, png);
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI, 'classify', ...files, '--backend', 'reference', '--batch', '8'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const peakKb = Number(r.stderr.trim().split('\n').pop());
    // Decoded all together they are 8 x 27 MB as RGB (and 8 x 36 MB as libvips' buffers).
    expect(peakKb / 1024).toBeLessThan(400);
  });
});

describe('no wrong answer with exit 0', () => {
  it('classify refuses non-finite logits instead of printing NaN% or inf', () => {
    const dir = modelCopy();
    const loaded = readWeightsFile(join(dir, 'weights.safetensors'));
    const head = loaded.weights.get('head.weight')!;
    const huge = Float32Array.from(head.data as Float32Array, (v) => v * 3e38);
    const weights = new Map(loaded.weights);
    weights.set('head.weight', { ...head, data: huge });
    writeFileSync(join(dir, 'weights.safetensors'), writeSafetensors(weights, loaded.metadata));
    const r = swin(['classify', PICTURE, '--weights', join(dir, 'weights.safetensors'), '--backend', 'reference']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/NaN|inf/i);
    expect(r.stderr).toMatch(/blue-heart\.png: error: \[BACKEND_FAILURE\]: the model output a non-finite logit \((-?Infinity|NaN) for class \d+\)/);
  });

  it('a preprocess.json whose std is 0 is refused', () => {
    const dir = modelCopy();
    const spec = JSON.parse(readFileSync(join(dir, 'preprocess.json'), 'utf8'));
    writeFileSync(join(dir, 'preprocess.json'), JSON.stringify({ ...spec, std: [0.229, 0, 0.225] }));
    expectOneLine(swin(['classify', PICTURE, '--weights', join(dir, 'weights.safetensors'), '--backend', 'reference']), 1, /preprocess\.json: config\.std|preprocess\.std: expected 3 non-zero numbers/);
  });
});

describe('parse errors are one line naming the file', () => {
  it('invalid JSON in --labels, preprocess.json, classes.json, --config and checkpoint metadata', () => {
    const dir = modelCopy();
    const w = join(dir, 'weights.safetensors');
    writeFileSync(join(dir, 'bad.json'), '{"oops": ');
    expectOneLine(swin(['classify', PICTURE, '--weights', w, '--labels', join(dir, 'bad.json'), '--backend', 'reference']), 1, new RegExp(`class names .*bad\\.json: expected JSON, found a syntax error`));
    expectOneLine(swin(['info', w, '--config', join(dir, 'bad.json')]), 1, /config .*bad\.json: expected JSON, found a syntax error/);
    // classes.json is read when the checkpoint's metadata has no class names (the fixture's has none).
    const plain = tempDir();
    copyFileSync(WEIGHTS, join(plain, 'weights.safetensors'));
    writeFileSync(join(plain, 'classes.json'), '[nope');
    expectOneLine(swin(['classify', PICTURE, '--weights', join(plain, 'weights.safetensors'), '--backend', 'reference']), 1, /classes\.json: expected JSON/);
    writeFileSync(join(dir, 'preprocess.json'), '{');
    expectOneLine(swin(['classify', PICTURE, '--weights', w, '--backend', 'reference']), 1, /preprocess\.json: expected JSON/);
    const meta = tempDir();
    const loaded = readWeightsFile(w);
    writeFileSync(join(meta, 'w.safetensors'), writeSafetensors(loaded.weights, { ...loaded.metadata, classes: '["a", ' }));
    expectOneLine(swin(['classify', PICTURE, '--weights', join(meta, 'w.safetensors'), '--backend', 'reference']), 1, /class names in .*w\.safetensors metadata: expected JSON/);
  });

  it('bench --compare on a file that is not ONNX', () => {
    expectOneLine(swin(['bench', '--weights', WEIGHTS, '--compare', WEIGHTS, '--runs', '1', '--warmup', '0']), 1, /--compare .*weights\.safetensors: onnxruntime cannot load it as an ONNX model/);
  });
});

describe('bad command lines exit 2', () => {
  const out = join(tempDir(), 'y.npy');
  for (const [args, pattern] of [
    [['run', '--weights', WEIGHTS, '--input', INPUT, '--output', out, '--backend', 'foo'], /--backend: unknown backend 'foo'/],
    [['classify', PICTURE, '--backend', 'foo'], /--backend: unknown backend 'foo'/],
    [['run', '--weights', WEIGHTS, '--input', INPUT, '--output', out, '--outputs', 'bogus'], /--outputs: expected .* found 'bogus'/],
    [['run', '--weights', WEIGHTS, '--input', INPUT, '--output', out, '--top', '0'], /--top: expected a positive integer, found '0'/],
    [['run', '--weights', WEIGHTS, '--input', INPUT, '--output', out, '--top', 'abc'], /--top: expected a positive integer, found 'abc'/],
    [['export-onnx', '--weights', WEIGHTS, '-o', join(tempDir(), 'm.onnx'), '--outputs', 'logits,nope'], /--outputs: .*found 'nope'/],
    [['bench', '--variant', 'nope'], /--variant: unknown variant 'nope'/],
    [['fetch', 'swin-z'], /fetch: unknown variant 'swin-z'/],
  ] as const) {
    it(args.slice(-2).join(' '), () => expectOneLine(swin([...args]), 2, pattern));
  }
});

describe('non-regular files are refused before open blocks', () => {
  const dir = tempDir();
  const fifo = join(dir, 'fifo');
  spawnSync('mkfifo', [fifo]);
  for (const [what, args] of [
    ['checkpoint', ['info', fifo]],
    ['--input', ['run', '--weights', WEIGHTS, '--input', fifo, '--output', join(dir, 'y.npy')]],
    ['--config', ['info', WEIGHTS, '--config', fifo]],
    ['--labels', ['classify', PICTURE, '--labels', fifo, '--backend', 'reference']],
  ] as const) {
    it(`a FIFO as ${what}`, () => expectOneLine(swin([...args]), 1, /'.*fifo' is not a regular file \(a FIFO\)/));
  }
  it('a FIFO as a picture: an error line for it, the others classified', () => {
    const r = swin(['classify', fifo, PICTURE, '--backend', 'reference']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/fifo: error: \[IO_ERROR\]: '.*fifo' is not a regular file \(a FIFO\)/);
    expect(r.stdout).toMatch(/blue-heart\.png: blue heart/);
  });
  // A folder is read as a Hugging Face model folder: one without its files says what was looked for.
  it('a directory as checkpoint', () => expectOneLine(swin(['info', dir]), 1, /is a folder without weights: expected model\.safetensors or pytorch_model\.bin/));
});

describe('an output that is the same file as an input is refused before anything is written', () => {
  function setup() {
    const dir = tempDir();
    copyFileSync(WEIGHTS, join(dir, 'a.safetensors'));
    copyFileSync(INPUT, join(dir, 'x.npy'));
    symlinkSync(join(dir, 'a.safetensors'), join(dir, 'link.safetensors'));
    mkdirSync(join(dir, 'sub'));
    return dir;
  }
  it('convert a.safetensors -o a.safetensors (same path, a symlink, a path through ..)', () => {
    const dir = setup();
    const before = readFileSync(join(dir, 'a.safetensors'));
    for (const o of ['a.safetensors', 'link.safetensors', 'sub/../a.safetensors']) {
      expectOneLine(swin(['convert', join(dir, 'a.safetensors'), '-o', join(dir, o), '--dtype', 'f16']), 2, /is the same file as the checkpoint/);
    }
    expect(readFileSync(join(dir, 'a.safetensors')).equals(before)).toBe(true);
    expect(filesIn(dir)).toEqual(['a.safetensors', 'link.safetensors', 'sub', 'x.npy']);
  });
  it('run --input x.npy --output x.npy, and --output over the weights', () => {
    const dir = setup();
    expectOneLine(swin(['run', '--weights', join(dir, 'a.safetensors'), '--input', join(dir, 'x.npy'), '--output', join(dir, 'x.npy')]), 2, /--output .*x\.npy is the same file as --input/);
    expect(readFileSync(join(dir, 'x.npy')).equals(readFileSync(INPUT))).toBe(true);
  });
  it('bench --json w.safetensors, and --markdown the same file as --json', () => {
    const dir = setup();
    expectOneLine(swin(['bench', '--weights', join(dir, 'a.safetensors'), '--json', join(dir, 'link.safetensors')]), 2, /--json .* is the same file as --weights/);
    expectOneLine(swin(['bench', '--weights', join(dir, 'a.safetensors'), '--json', join(dir, 'r.json'), '--markdown', join(dir, 'r.json')]), 2, /--markdown .* is the same file as --json/);
    expect(existsSync(join(dir, 'r.json'))).toBe(false);
  });
  it('export-onnx -o over the weights', () => {
    const dir = setup();
    const r = swin(['export-onnx', '--weights', join(dir, 'a.safetensors'), '-o', join(dir, 'a.onnx')]);
    expect(r.code).toBe(0);
    expectOneLine(swin(['export-onnx', '--weights', join(dir, 'a.onnx'), '-o', join(dir, 'a.onnx')]), 2, /same file/);
  });
});

describe('a signal during convert removes the temporary file', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(signal, async () => {
      const dir = tempDir();
      // --window 1000 makes every bias table 1999^2 rows: a write long enough to interrupt.
      const child = spawn(process.execPath, [CLI, 'convert', join(DEFAULT_MODEL, 'weights.safetensors'), '-o', join(dir, 'out.safetensors'), '--window', '1000'], { stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, sig) => resolve(sig ?? code)));
      const deadline = Date.now() + 60_000;
      while (!readdirSync(dir).some((f) => f.endsWith('.tmp')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(true);
      child.kill(signal);
      expect(await exited).toBe(signal);
      expect(filesIn(dir)).toEqual([]);
    });
  }
});
