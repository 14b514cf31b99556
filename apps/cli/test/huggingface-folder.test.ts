// A Hugging Face model folder wherever a checkpoint path works: run, classify, info, convert,
// export-onnx; its config.json's architecture, id2label and image_size.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNpy } from '@swin/core';
import { ROOT, swin, tempDir } from './cli-helpers.js';

/** packages/weights/test/helpers/huggingface-folder.ts (imported by path: it is outside this package). */
interface Helpers {
  readonly HF_FOLDER_FIXTURES: Readonly<Record<'v1' | 'v2', string>>;
  hfFolderLabels(kind: 'v1' | 'v2'): string[];
  huggingFaceFolders(): {
    folder(kind: 'v1' | 'v2', change?: Record<string, unknown>, weightsFile?: 'model.safetensors' | 'pytorch_model.bin'): string;
    track(path: string): string;
    cleanup(): void;
  };
}
const { HF_FOLDER_FIXTURES, hfFolderLabels, huggingFaceFolders } = (await import(pathToFileURL(join(ROOT, 'packages/weights/test/helpers/huggingface-folder.ts')).href)) as Helpers;

const { folder, track, cleanup } = huggingFaceFolders();
afterAll(cleanup);

const PICTURE = join(ROOT, 'examples/red-circle.jpg');

describe('Hugging Face model folders in the CLI', () => {
  for (const kind of ['v1', 'v2'] as const) {
    it(`${kind}: run matches PyTorch float64, classify prints the folder's labels`, () => {
      const dir = folder(kind);
      const out = join(track(tempDir()), 'logits.npy');
      const fixture = HF_FOLDER_FIXTURES[kind];
      const r = swin(['run', '--weights', dir, '--input', join(fixture, 'input.npy'), '--output', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const got = parseNpy(new Uint8Array(readFileSync(out))).data as Float32Array;
      const want = parseNpy(new Uint8Array(readFileSync(join(fixture, 'logits_f64.npy')))).data as Float64Array;
      const err = Math.max(...Array.from(got, (v, i) => Math.abs(v - want[i]!)));
      console.log(`swin run (HF ${kind} folder): max |logits - PyTorch float64| = ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-4);

      const c = swin(['classify', PICTURE, '--weights', dir, '--backend', 'reference', '--top', '10', '--json']);
      expect(c.code).toBe(0);
      const top = (JSON.parse(c.stdout) as { results: { top: { label: string; index: number }[] }[] }).results[0]!.top;
      expect(top.map((t) => t.label).sort()).toEqual(hfFolderLabels(kind).sort());
      expect(top.every((t) => t.label === hfFolderLabels(kind)[t.index])).toBe(true);
    });
  }

  it('info shows the folder and its image size; convert keeps its class names; export-onnx reads it', () => {
    const dir = folder('v1', { image_size: 64 }, 'pytorch_model.bin');
    const info = swin(['info', dir]);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain(`folder       Hugging Face swin: ${join(dir, 'config.json')}, ${join(dir, 'pytorch_model.bin')}, 10 class names`);
    expect(info.stdout).toContain('img_size=64');
    const json = JSON.parse(swin(['info', folder('v2'), '--json']).stdout) as { config: Record<string, unknown>; huggingFace: { labels: number } };
    expect(json.config).toMatchObject({ window_size: 4, pretrained_window_sizes: [3, 2], img_size: 32 });
    expect(json.huggingFace.labels).toBe(10);

    const out = track(tempDir());
    const converted = join(out, 'model.safetensors');
    expect(swin(['convert', dir, '-o', converted]).code).toBe(0);
    const c = swin(['classify', PICTURE, '--weights', converted, '--backend', 'reference', '--top', '1', '--json']);
    expect(c.code).toBe(0);
    expect(hfFolderLabels('v1')).toContain((JSON.parse(c.stdout) as { results: { top: { label: string }[] }[] }).results[0]!.top[0]!.label);
    expect(JSON.parse(swin(['info', converted, '--json']).stdout).config.img_size).toBe(64);

    const onnx = join(out, 'model.onnx');
    const e = swin(['export-onnx', '--weights', folder('v2'), '-o', onnx]);
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    expect(existsSync(onnx)).toBe(true);
  });

  it("a folder's preprocessor_config.json is its preprocessing: classify gives the logits of transformers-style pixels", () => {
    // The reference pixels: a PIL + numpy reproduction of ViTImageProcessor (tools/reference/make_hf_preprocessor_fixture.py).
    const fixture = join(ROOT, 'packages/pipeline/test/fixtures/hf-preprocessor/swinv2_style_32x48');
    const dir = folder('v1');
    const preprocessor = join(dir, 'preprocessor_config.json');
    copyFileSync(join(fixture, 'preprocessor_config.json'), preprocessor);
    const out = join(track(tempDir()), 'logits.npy');
    const r = swin(['run', '--weights', dir, '--backend', 'reference', '--input', join(fixture, 'pixels.npy'), '--output', out]);
    expect(r.code).toBe(0);
    const want = parseNpy(new Uint8Array(readFileSync(out))).data as Float32Array;
    const c = swin(['classify', join(ROOT, 'examples/purple-cross.png'), '--weights', dir, '--backend', 'reference', '--top', '10', '--json']);
    expect(c.code).toBe(0);
    const top = (JSON.parse(c.stdout) as { results: { top: { index: number; logit: number }[] }[] }).results[0]!.top;
    const err = Math.max(...top.map((t) => Math.abs(t.logit - want[t.index]!)));
    console.log(`swin classify (HF folder + preprocessor_config.json): max |logits - logits of the reference pixels| = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
    expect(swin(['info', dir]).stdout).toContain(`preprocess   ${preprocessor}: bicubic resize to 32x48 (no crop), x0.00392156862745098, mean [0.485,0.456,0.406], std [0.229,0.224,0.225]`);

    writeFileSync(preprocessor, JSON.stringify({ size: 32 }));
    const bilinear = swin(['classify', join(ROOT, 'examples/purple-cross.png'), '--weights', dir, '--backend', 'reference']);
    expect(bilinear.code).toBe(1);
    expect(bilinear.stderr).toMatch(/^swin: error .*preprocessor_config\.json: resample: expected 3 \(bicubic, the only filter implemented\), found 2 \(bilinear, ViTImageProcessor's default\)\n$/);
  });

  it('a folder that disagrees with its weights, has an unknown model_type or no weights: one line, exit 1', () => {
    const disagree = swin(['info', folder('v1', { window_size: 7 })]);
    expect(disagree.code).toBe(1);
    expect(disagree.stderr).toMatch(/^swin: error .*config\.json: window_size is 7 but the weights have 4\n$/);
    const unknown = swin(['classify', PICTURE, '--weights', folder('v2', { model_type: 'vit' })]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^swin: error .*model_type: expected "swin" or "swinv2", found "vit"\n$/);
    const empty = track(tempDir());
    const none = swin(['convert', empty, '-o', join(empty, 'x.safetensors')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^swin: error .*is a folder without weights: expected model\.safetensors or pytorch_model\.bin.*\n$/);
    expect(existsSync(join(empty, 'x.safetensors'))).toBe(false);
  });
});
