// transformers' preprocessor_config.json (ViTImageProcessor) as a PreprocessSpec: each key's mapping
// and defaults, and one-line refusals naming the key. Pixels are checked in @swin/pipeline's
// hf-preprocessor.test.ts against a PIL + numpy reproduction.
import { describe, expect, it } from 'vitest';
import { MAX_HUGGINGFACE_PREPROCESSOR_BYTES, parseHuggingFacePreprocessor } from '../src/index.js';

const parse = (json: Record<string, unknown>) => parseHuggingFacePreprocessor(JSON.stringify(json), 'm/preprocessor_config.json');

describe('parseHuggingFacePreprocessor', () => {
  it("maps ViTImageProcessor's keys, with its defaults for what is left out", () => {
    expect(parse({ resample: 3, size: { height: 256, width: 192 }, image_mean: [0.485, 0.456, 0.406], image_std: [0.229, 0.224, 0.225], rescale_factor: 0.00392156862745098 })).toEqual({
      inputSize: [256, 192],
      resizeMode: 'exact',
      resizeSize: 192,
      interpolation: 'bicubic',
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      rescaleFactor: 0.00392156862745098,
    });
    // ViTImageProcessor's defaults: 224x224, rescale 1/255, mean = std = 0.5; one int size is square.
    expect(parse({ resample: 3 })).toMatchObject({ inputSize: [224, 224], mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], rescaleFactor: 1 / 255 });
    expect(parse({ resample: 3, size: 20, image_std: 2 })).toMatchObject({ inputSize: [20, 20], std: [2, 2, 2] });
    // Switched-off steps: pixels as they are (0..255), or rescaled only.
    expect(parse({ resample: 3, do_rescale: false, do_normalize: false })).toMatchObject({ mean: [0, 0, 0], std: [1, 1, 1], rescaleFactor: 1 });
    expect(parse({ resample: 3, do_normalize: false, image_std: 0 })).toMatchObject({ mean: [0, 0, 0], std: [1, 1, 1] });
    // Bookkeeping keys and the RGB conversion (the pipeline always converts like PIL) are accepted.
    expect(parse({ resample: 3, feature_extractor_type: 'ViTFeatureExtractor', processor_class: 'x', do_convert_rgb: true }).inputSize).toEqual([224, 224]);
  });

  it('refuses by key what it does not reproduce, with what it supports and what was found', () => {
    const where = /^m\/preprocessor_config\.json: /;
    for (const [json, message] of [
      [{ resample: 3, do_resize: false }, /do_resize: expected true \(the model runs at one input size\), found false$/],
      [{ resample: 0 }, /resample: expected 3 \(bicubic, the only filter implemented\), found 0 \(nearest\)$/],
      [{ resample: 'bicubic' }, /resample: expected 3 .*found "bicubic"$/],
      [{ resample: 3, size: { height: 0, width: 8 } }, /size: expected .*found \{"height":0,"width":8\}$/],
      [{ resample: 3, size: 100_000 }, /size: expected .*each from 1 to 8192.*found 100000$/],
      [{ resample: 3, image_std: [1, 0, 1] }, /image_std: expected 3 non-zero numbers \(one per RGB channel\) or one for all, found \[1,0,1\]$/],
      [{ resample: 3, image_mean: [1, 2] }, /image_mean: expected 3 numbers .*found \[1,2\]$/],
      [{ resample: 3, rescale_factor: -1 }, /rescale_factor: expected a positive number, found -1$/],
      [{ resample: 3, do_rescale: null }, /do_rescale: expected true or false, found null$/],
      [{ resample: 3, crop_pct: 0.875 }, /keys not supported: crop_pct \(expected only do_resize, size, resample/],
    ] as const) {
      expect(() => parse(json), JSON.stringify(json)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringMatching(where) }));
      expect(() => parse(json), JSON.stringify(json)).toThrow(message);
    }
    expect(() => parseHuggingFacePreprocessor('{', 'p')).toThrow(/^p: expected JSON, found a syntax error/);
    expect(() => parseHuggingFacePreprocessor('[]', 'p')).toThrow(/^p: expected a JSON object, found an array$/);
    expect(() => parseHuggingFacePreprocessor(new Uint8Array(MAX_HUGGINGFACE_PREPROCESSOR_BYTES + 1), 'p')).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/^p: expected a preprocessor_config\.json of at most 1048576 bytes, found 1048577$/) }),
    );
  });
});
