import { loadModel, type SwinModel } from '@swin/pipeline/browser';
import type { TensorData } from '@swin/core';
import type { PageModel } from './default-model.js';
import './page-backends.js';

/** The page's model loaded by @swin/pipeline on one backend, with how long loading and compiling took. */
export interface CompiledModel {
  readonly model: SwinModel;
  readonly compileMs: number;
}

/** One classification: logits plus wall times of the first and a second (warm) run. */
export interface Classification {
  readonly logits: Float32Array;
  readonly firstRunMs: number;
  readonly warmRunMs: number;
}

/** Loads the page's weights on the backend `id` (the pipeline creates it from core's registry) and compiles at the preprocessing's input size. */
export async function compileModel(page: PageModel, id: string): Promise<CompiledModel> {
  const t0 = performance.now();
  const model = await loadModel(page.weights, { backend: id, config: page.overrides, labels: page.classes, preprocess: page.preprocess });
  return { model, compileMs: performance.now() - t0 };
}

/** Runs the compiled model twice on one preprocessed picture: the first run includes lazy setup (shader compiles, uploads), the second is the steady cost. */
export async function classify(compiled: CompiledModel, input: TensorData<'float32'>): Promise<Classification> {
  const t0 = performance.now();
  const first = await compiled.model.run(input, ['logits']);
  const t1 = performance.now();
  await compiled.model.run(input, ['logits']);
  const t2 = performance.now();
  const logits = first['logits'];
  if (!logits) throw new Error(`the model returned ${Object.keys(first).join(', ')}, expected logits`);
  return { logits: Float32Array.from(logits.data as Float32Array), firstRunMs: t1 - t0, warmRunMs: t2 - t1 };
}
