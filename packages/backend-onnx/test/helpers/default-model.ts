// The committed offline default model (models/default) and its held-out pictures, preprocessed the
// official way, for accuracy tests of reduced-precision exports.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildModelGraph, inferModelConfig, parsePreprocessSpec, preprocessImages, readSafetensorsBytes, toRgbImage, type BuiltModel, type DecodedPixels, type TensorData } from '@swin/core';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const MODEL_DIR = join(REPO, 'models/default');

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** The default model's graph at the held-out set's batch, its held-out pictures as one NCHW tensor, and their labels. */
export async function defaultModelHeldOut(): Promise<{ model: BuiltModel; images: TensorData<'float32'>; labels: number[]; pytorchCorrect: number }> {
  // Core ships no image decoder; its test-only PNG reader (what core's own default-model test uses) is reused as is.
  const { readPng } = (await import(pathToFileURL(join(REPO, 'packages/core/test/helpers/png.ts')).href)) as { readPng(path: string): DecodedPixels };
  const { tensors } = readSafetensorsBytes(new Uint8Array(readFileSync(join(MODEL_DIR, 'weights.safetensors'))));
  const { family, ...args } = readJson<Record<string, unknown>>(join(MODEL_DIR, 'config.json'));
  const config = inferModelConfig(tensors, { family, ...args });
  const spec = parsePreprocessSpec(readJson(join(MODEL_DIR, 'preprocess.json')));
  const heldOut = readJson<{ file: string; label: number }[]>(join(MODEL_DIR, 'heldout', 'labels.json'));
  const images = preprocessImages(heldOut.map((l) => toRgbImage(readPng(join(MODEL_DIR, 'heldout', l.file)))), spec);
  const model = buildModelGraph(config, tensors, { inputSize: spec.inputSize as [number, number], batch: heldOut.length });
  return { model, images, labels: heldOut.map((l) => l.label), pytorchCorrect: readJson<{ correct: number }>(join(MODEL_DIR, 'accuracy.json')).correct };
}
