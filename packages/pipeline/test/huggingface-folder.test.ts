// loadModel('/path/to/folder') and hf:<repo> with a transformers config.json: the folder's
// architecture, class names (id2label) and image size, logits as PyTorch float64.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npyToTensor, parseNpy } from '@swin/core';
import { parseHuggingFacePreprocessor } from '@swin/weights';
import { loadModel, readCheckpoint } from '../src/node/index.js';

const root = join(import.meta.dirname, '../../..');
/** What this file uses of packages/weights/test/helpers/huggingface-folder.ts (imported by path: it is outside the package). */
interface Helpers {
  readonly HF_FOLDER_FIXTURES: Readonly<Record<'v1' | 'v2', string>>;
  hfFolderLabels(kind: 'v1' | 'v2'): string[];
  huggingFaceFolders(): { folder(kind: 'v1' | 'v2', change?: Record<string, unknown>): string; track(path: string): string; cleanup(): void };
}
const { HF_FOLDER_FIXTURES, hfFolderLabels, huggingFaceFolders } = (await import(pathToFileURL(join(root, 'packages/weights/test/helpers/huggingface-folder.ts')).href)) as Helpers;

const { folder, track, cleanup } = huggingFaceFolders();
const PREPROCESSOR = join(import.meta.dirname, 'fixtures/hf-preprocessor/swinv2_style_32x48/preprocessor_config.json');

const npy = (path: string) => npyToTensor(parseNpy(new Uint8Array(readFileSync(path))));

let server: Server;
let hub = '';
const cacheDir = track(mkdtempSync(join(tmpdir(), 'hf-folder-cache-')));
const savedCache = process.env['SWIN_CACHE_DIR'];
beforeAll(async () => {
  process.env['SWIN_CACHE_DIR'] = cacheDir;
  // A loopback hub serving the V2 folder as acme/v2@main, and with a preprocessor_config.json as acme/v2p@main.
  const v2 = folder('v2');
  server = createServer((req, res) => {
    const m = /^\/acme\/(v2p?)\/resolve\/main\/(config\.json|model\.safetensors|preprocessor_config\.json)$/.exec(req.url ?? '');
    if (!m || (m[1] === 'v2' && m[2] === 'preprocessor_config.json')) return void res.writeHead(404).end();
    const body = readFileSync(m[2] === 'preprocessor_config.json' ? PREPROCESSOR : join(v2, m[2]!));
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  hub = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  if (savedCache === undefined) delete process.env['SWIN_CACHE_DIR'];
  else process.env['SWIN_CACHE_DIR'] = savedCache;
  cleanup();
});

describe('Hugging Face model folders in loadModel', () => {
  for (const kind of ['v1', 'v2'] as const) {
    it(`${kind}: labels from id2label, input size from image_size, logits as PyTorch float64`, async () => {
      const dir = folder(kind);
      const model = await loadModel(dir, { backend: 'reference' });
      try {
        expect(model.info).toMatchObject({ source: dir, scheme: 'huggingface', labels: hfFolderLabels(kind), inputSize: [32, 32] });
        expect(model.info.preprocess.inputSize).toEqual([32, 32]);
        const fixture = HF_FOLDER_FIXTURES[kind];
        const logits = (await model.run(npy(join(fixture, 'input.npy')), ['logits']))['logits']!;
        const want = Array.from(npy(join(fixture, 'logits_f64.npy')).data as ArrayLike<number>);
        const err = Math.max(...Array.from(logits.data as Float32Array, (v, i) => Math.abs(v - want[i]!)));
        console.log(`loadModel(HF ${kind} folder): max |logits - PyTorch float64| = ${err.toExponential(2)}`);
        expect(err).toBeLessThan(1e-4);
        const [top] = await model.classify(join(root, 'examples/red-circle.jpg'), { topk: 3 });
        expect(top!.map((t) => t.label)).toEqual(top!.map((t) => hfFolderLabels(kind)[t.index]));
      } finally {
        await model.dispose();
      }
    });
  }

  it('preprocesses at the folder image_size', async () => {
    const model = await loadModel(folder('v1', { image_size: 64 }), { backend: 'reference', warmup: false });
    expect(model.info.inputSize).toEqual([64, 64]);
    expect(model.info.preprocess.inputSize).toEqual([64, 64]);
    await model.dispose();
  });

  it('refuses a folder whose config.json disagrees with its weights, or that lacks a file', async () => {
    await expect(readCheckpoint(folder('v1', { window_size: 7 }))).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/window_size is 7 but the weights have 4$/) });
    await expect(readCheckpoint(folder('v2', { model_type: 'beit' }))).rejects.toMatchObject({ message: expect.stringMatching(/model_type: expected "swin" or "swinv2", found "beit"/) });
    const noWeights = folder('v1');
    rmSync(join(noWeights, 'model.safetensors'));
    await expect(readCheckpoint(noWeights)).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('expected model.safetensors or pytorch_model.bin') });
  });

  it('hf:<repo> takes the architecture from config.json (a Swin V2 window the weights cannot tell)', async () => {
    const model = await loadModel('hf:acme/v2', { backend: 'reference', hubUrl: hub, warmup: false });
    expect(model.info.config).toMatchObject({ family: 'swin_v2', window_size: 4, pretrained_window_sizes: [3, 2], img_size: 32 });
    expect(model.info.labels).toEqual(hfFolderLabels('v2'));
    await model.dispose();
  });

  it("hf:<repo> preprocesses with the repo's preprocessor_config.json, and without one (HTTP 404) as the official evaluation", async () => {
    const withFile = await loadModel('hf:acme/v2p', { backend: 'reference', hubUrl: hub, warmup: false });
    expect(withFile.info.preprocess).toEqual(parseHuggingFacePreprocessor(readFileSync(PREPROCESSOR), 'x'));
    await withFile.dispose();
    const without = await loadModel('hf:acme/v2', { backend: 'reference', hubUrl: hub, warmup: false });
    expect(without.info.preprocess).toMatchObject({ resizeMode: 'short_side', inputSize: [32, 32] });
    await without.dispose();
  });
});
