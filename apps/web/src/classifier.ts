import { buildModelGraph, MODEL_INPUT, type Backend, type Executable, type TensorData } from '@swin/core';
import type { PageModel } from './default-model.js';

/** A model compiled on one backend, with how long compiling took. */
export interface CompiledModel {
  readonly backend: Backend;
  readonly executable: Executable;
  readonly compileMs: number;
}

/** One classification: logits plus wall times of the first and a second (warm) run. */
export interface Classification {
  readonly logits: Float32Array;
  readonly firstRunMs: number;
  readonly warmRunMs: number;
}

/** Builds the model's graph (batch 1, the preprocessing's input size) and compiles it on `backend`. */
export async function compileModel(model: PageModel, backend: Backend): Promise<CompiledModel> {
  const t0 = performance.now();
  const { graph } = buildModelGraph(model.config, model.weights, { inputSize: model.preprocess.inputSize as [number, number], batch: 1 });
  const executable = await backend.compile(graph);
  return { backend, executable, compileMs: performance.now() - t0 };
}

/** Runs the compiled model twice on one preprocessed picture: the first run includes lazy setup (shader compiles, uploads), the second is the steady cost. */
export async function classify(compiled: CompiledModel, input: TensorData<'float32'>): Promise<Classification> {
  const t0 = performance.now();
  const first = await compiled.executable.run({ [MODEL_INPUT]: input });
  const t1 = performance.now();
  await compiled.executable.run({ [MODEL_INPUT]: input });
  const t2 = performance.now();
  const logits = first['logits'];
  if (!logits) throw new Error(`the model returned ${Object.keys(first).join(', ')}, expected logits`);
  return { logits: Float32Array.from(logits.data as Float32Array), firstRunMs: t1 - t0, warmRunMs: t2 - t1 };
}
