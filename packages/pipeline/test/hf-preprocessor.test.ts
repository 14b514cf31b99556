// A Hugging Face folder's preprocessor_config.json (transformers' ViTImageProcessor for swin and
// swinv2): the pixels loadModel feeds the model, against a PIL + numpy reproduction of
// transformers' steps (tools/reference/make_hf_preprocessor_fixture.py), and what is refused.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { npyToTensor, parseNpy, preprocessImages, toRgbImage, type TensorData } from '@swin/core';
import { decodeImage, loadModel, readCheckpoint } from '../src/node/index.js';

const root = join(import.meta.dirname, '../../..');
/** What this file uses of packages/weights/test/helpers/huggingface-folder.ts (imported by path: it is outside the package). */
interface Helpers {
  huggingFaceFolders(): { folder(kind: 'v1' | 'v2', change?: Record<string, unknown>): string; cleanup(): void };
}
const { huggingFaceFolders } = (await import(pathToFileURL(join(root, 'packages/weights/test/helpers/huggingface-folder.ts')).href)) as Helpers;
const { folder, cleanup } = huggingFaceFolders();
afterAll(cleanup);

const FIXTURES = join(import.meta.dirname, 'fixtures/hf-preprocessor');
const CASES = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as { name: string; picture: string; shape: number[] }[];
const npy = (path: string) => npyToTensor(parseNpy(new Uint8Array(readFileSync(path)))) as TensorData<'float32'>;

function maxAbsDiff(a: TensorData, b: TensorData): number {
  expect(a.shape).toEqual(b.shape);
  const bd = b.data as Float32Array;
  let m = 0;
  (a.data as Float32Array).forEach((v, i) => (m = Math.max(m, Math.abs(v - bd[i]!))));
  return m;
}

/** The v1 test folder with a case's preprocessor_config.json (or the given one) in it. */
function folderWithPreprocessor(preprocessor: string | Record<string, unknown>): string {
  const dir = folder('v1');
  const target = join(dir, 'preprocessor_config.json');
  if (typeof preprocessor === 'string') copyFileSync(join(FIXTURES, preprocessor, 'preprocessor_config.json'), target);
  else writeFileSync(target, JSON.stringify(preprocessor));
  return dir;
}

describe("a Hugging Face folder's preprocessor_config.json", () => {
  for (const { name, picture, shape } of CASES) {
    it(`${name}: pixels as transformers' ViTImageProcessor (PIL resize, rescale, normalize)`, async () => {
      const { preprocess } = await readCheckpoint(folderWithPreprocessor(name));
      expect(preprocess).toMatchObject({ resizeMode: 'exact', inputSize: shape.slice(2) });
      const image = toRgbImage(await decodeImage(join(root, picture), { maxPixels: 1e6 }));
      const err = maxAbsDiff(preprocessImages([image], preprocess!), npy(join(FIXTURES, name, 'pixels.npy')));
      console.log(`${name}: max |pixels - transformers-style reference| = ${err.toExponential(2)}`);
      // float32 rounding of values up to ~3 (one ulp is 2.4e-7): the resize is Pillow's byte for byte.
      expect(err).toBeLessThan(1e-6);
    });
  }

  it('loadModel(folder) runs at its size on those pixels: classify gives the logits of the reference pixels', async () => {
    const name = 'swinv2_style_32x48';
    const model = await loadModel(folderWithPreprocessor(name), { backend: 'reference' });
    try {
      expect(model.info.inputSize).toEqual([32, 48]);
      expect(model.info.preprocess).toMatchObject({ resizeMode: 'exact', inputSize: [32, 48], rescaleFactor: 0.00392156862745098 });
      const want = (await model.run(npy(join(FIXTURES, name, 'pixels.npy')), ['logits']))['logits']!.data as Float32Array;
      const [top] = await model.classify(join(root, CASES[0]!.picture), { topk: 10 });
      const err = Math.max(...top!.map((t) => Math.abs(t.logit - want[t.index]!)));
      console.log(`loadModel(HF folder + ${name}): max |classify logits - logits of the reference pixels| = ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-5);
    } finally {
      await model.dispose();
    }
  });

  it('refuses what it does not reproduce, naming the file and the key', async () => {
    const refused = async (preprocessor: Record<string, unknown>, message: RegExp) =>
      expect(readCheckpoint(folderWithPreprocessor(preprocessor))).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(message) });
    await refused({ size: 32 }, /preprocessor_config\.json: resample: expected 3 \(bicubic, the only filter implemented\), found 2 \(bilinear, ViTImageProcessor's default\)$/);
    await refused({ resample: 3, size: { shortest_edge: 32 } }, /size: expected \{"height": H, "width": W\} or one integer, each from 1 to 8192 \(a straight resize\), found \{"shortest_edge":32\}$/);
    await refused({ resample: 3, do_center_crop: true, crop_size: 28 }, /keys not supported: do_center_crop, crop_size \(expected only /);
    await refused({ resample: 3, image_processor_type: 'ViTImageProcessorFast' }, /image_processor_type: expected "ViTImageProcessor" or "ViTFeatureExtractor", found "ViTImageProcessorFast"$/);
  });
});
