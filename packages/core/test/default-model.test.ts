import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildSwinV1Graph,
  createReferenceBackend,
  inferSwinV1Config,
  mergeSwinV1Config,
  parsePreprocessSpec,
  preprocessImages,
  toRgbImage,
  type SwinV1Config,
} from '../src/index.js';
import { compare, readJson, readNpy, readSafetensorsF32 } from './helpers/fixtures.js';
import { readPng } from './helpers/png.js';

// The committed offline default model (tools/reference/train_default_model.py): every held-out
// picture goes through our preprocessing and the reference backend, and must give PyTorch's
// logits and therefore PyTorch's accuracy.
const MODEL_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../models/default');
const BATCH = 30;

describe('offline default model on the reference backend', () => {
  const { tensors, metadata } = readSafetensorsF32(join(MODEL_DIR, 'weights.safetensors'));
  const configJson = readJson<Record<string, unknown>>(join(MODEL_DIR, 'config.json'));
  const classes = readJson<string[]>(join(MODEL_DIR, 'classes.json'));
  const spec = parsePreprocessSpec(readJson(join(MODEL_DIR, 'preprocess.json')));
  const labels = readJson<{ file: string; label: number; class: string }[]>(join(MODEL_DIR, 'heldout', 'labels.json'));
  const accuracy = readJson<{ top1: number; correct: number; count: number }>(join(MODEL_DIR, 'accuracy.json'));
  const torchLogits = readNpy(join(MODEL_DIR, 'heldout', 'logits.npy'));

  it('config.json, the weights metadata and the weights themselves agree', () => {
    const { family, ...args } = configJson;
    expect(family).toBe('swin_v1');
    const fromJson = mergeSwinV1Config(inferSwinV1Config(tensors), args);
    const fromMeta = mergeSwinV1Config(inferSwinV1Config(tensors), JSON.parse(metadata['config']!) as Record<string, unknown>);
    expect(fromMeta).toEqual(fromJson);
    expect(inferSwinV1Config(tensors, { img_size: args['img_size'] })).toEqual(fromJson);
    expect(fromJson.num_classes).toBe(classes.length);
    expect(labels).toHaveLength(accuracy.count);
    for (const l of labels) expect(classes[l.label]).toBe(l.class);
  });

  it("reaches PyTorch's held-out accuracy with per-picture logits within 1e-4", async () => {
    const { family: _family, ...args } = configJson;
    const config: SwinV1Config = mergeSwinV1Config(inferSwinV1Config(tensors), args);
    const model = buildSwinV1Graph(config, tensors, { inputSize: spec.inputSize as [number, number], batch: BATCH });
    expect(model.unusedWeights).toEqual([]);
    const backend = createReferenceBackend();
    const exe = await backend.compile(model.graph);
    const numClasses = classes.length;
    const ours = new Float32Array(labels.length * numClasses);
    for (let start = 0; start < labels.length; start += BATCH) {
      const chunk = labels.slice(start, start + BATCH);
      const x = preprocessImages(chunk.map((l) => toRgbImage(readPng(join(MODEL_DIR, 'heldout', l.file)))), spec);
      const { logits } = await exe.run({ input: x });
      ours.set(logits!.data as Float32Array, start * numClasses);
    }
    exe.dispose();
    await backend.dispose();

    let correct = 0;
    let agree = 0;
    labels.forEach((l, i) => {
      const row = ours.subarray(i * numClasses, (i + 1) * numClasses);
      const ref = (torchLogits.data as Float32Array).subarray(i * numClasses, (i + 1) * numClasses);
      const argmax = (a: Float32Array) => a.indexOf(Math.max(...a));
      if (argmax(row) === l.label) correct++;
      if (argmax(row) === argmax(ref)) agree++;
    });
    const err = compare(ours, torchLogits.data as Float32Array);
    console.log(`default model, reference backend: ${correct}/${labels.length} = ${(correct / labels.length).toFixed(4)} (PyTorch ${accuracy.correct}/${accuracy.count}), top-1 agreement ${agree}/${labels.length}, max |logit diff| ${err.maxAbs.toExponential(2)}`);
    expect(err.maxAbs).toBeLessThan(1e-4);
    expect(agree).toBe(labels.length);
    expect(correct).toBe(accuracy.correct);
  });
});
