import {
  SWIN_V1_DEFAULTS,
  SeededRandom,
  buildSwinV1Graph,
  createReferenceBackend,
  randomSwinV1Weights,
  tensor,
  type Backend,
  type Graph,
  type SwinV1Config,
  type TensorData,
} from '@swin/core';
import type { CaseResult, OutputError } from '../report/case-result.js';
import { compareArrays } from '../report/compare-tensors.js';
import { MODEL_VS_REFERENCE_TOLERANCE, withinTolerance } from '../report/tolerance.js';
import { executeOnBackend } from '../run/execute-on-backend.js';
import type { OracleCache } from './oracle-cache.js';

/** A whole model with seeded random weights, checked against the reference executor. */
export interface RandomModelCase {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly config: SwinV1Config;
  readonly weightSeed: number;
  readonly inputSeed: number;
  /** Batch the graph is built at, and the batch it is run at (they differ to exercise the dynamic batch). */
  readonly buildBatch: number;
  readonly runBatch: number;
  readonly outputs: readonly string[];
}

/** Swin-T at 224 (4.5 G multiply-accumulates): the model the suite exists for. */
export const SWIN_T_224_CASE: RandomModelCase = {
  id: 'model/random/swin-t-224',
  name: 'swin-t-224',
  title: 'Swin-T 224, seeded random weights, batch 1',
  config: SWIN_V1_DEFAULTS,
  weightSeed: 224,
  inputSeed: 225,
  buildBatch: 1,
  runBatch: 1,
  outputs: ['logits', 'pooled'],
};

/** A small model built at batch 1 and run at batch 3: every batch-derived reshape must follow dim 0. */
export const DYNAMIC_BATCH_CASE: RandomModelCase = {
  id: 'model/random/dynamic-batch',
  name: 'dynamic-batch',
  title: 'tiny Swin (32 px, window 4, shifted + shrunken stages) built at batch 1, run at batch 3',
  config: { ...SWIN_V1_DEFAULTS, img_size: 32, embed_dim: 16, depths: [2, 2, 2], num_heads: [1, 2, 4], window_size: 4, num_classes: 7 },
  weightSeed: 32,
  inputSeed: 33,
  buildBatch: 1,
  runBatch: 3,
  outputs: ['logits', 'stage0', 'stage2'],
};

function inputFor(c: RandomModelCase): TensorData {
  const [h, w] = typeof c.config.img_size === 'number' ? [c.config.img_size, c.config.img_size] : c.config.img_size;
  const shape = [c.runBatch, c.config.in_chans, h, w];
  return tensor('float32', shape, new SeededRandom(c.inputSeed).normalArray(shape.reduce((a, b) => a * b, 1)));
}

function cacheKey(c: RandomModelCase, graph: Graph): string {
  // Node count and metadata pin the graph's structure; seeds pin the data.
  return `${c.name}-w${c.weightSeed}-i${c.inputSeed}-b${c.buildBatch}x${c.runBatch}-n${graph.nodes.length}-${c.outputs.join('+')}`;
}

async function referenceOutputs(c: RandomModelCase, graph: Graph, input: TensorData, cache?: OracleCache): Promise<Record<string, TensorData>> {
  const key = cacheKey(c, graph);
  const hit = await cache?.get(key);
  if (hit && c.outputs.every((o) => hit[o])) return hit;
  const reference = createReferenceBackend();
  const exe = await reference.compile(graph);
  try {
    const out = await exe.run({ input });
    await cache?.set(key, out);
    return out;
  } finally {
    exe.dispose();
    await reference.dispose();
  }
}

/** Runs a random-weights model on the backend and on the reference executor, and compares the outputs. */
export async function runRandomModelCase(backend: Backend, c: RandomModelCase, cache?: OracleCache): Promise<CaseResult> {
  const started = performance.now();
  const tolerance = MODEL_VS_REFERENCE_TOLERANCE;
  const base = { id: c.id, kind: 'model' as const, model: c.name, title: c.title, dtype: 'float32' as const, tolerance, required: true };
  const done = (rest: Partial<CaseResult> & Pick<CaseResult, 'status'>): CaseResult => ({ ...base, ...rest, durationMs: performance.now() - started });
  const weights = randomSwinV1Weights(c.config, c.weightSeed);
  const { graph } = buildSwinV1Graph(c.config, weights, { batch: c.buildBatch, outputs: c.outputs });
  const input = inputFor(c);
  const run = await executeOnBackend(backend, graph, { input });
  if (run.kind === 'unsupported') return done({ status: 'unsupported', message: run.message });
  if (run.kind === 'error') return done({ status: 'error', message: run.message });
  const expected = await referenceOutputs(c, graph, input, cache);
  const outputs: OutputError[] = [];
  for (const name of c.outputs) {
    const a = run.outputs[name];
    const e = expected[name];
    if (!e) return done({ status: 'error', message: `the reference executor returned no output '${name}'` });
    if (!a) return done({ status: 'fail', message: `backend returned no output '${name}'` });
    if (a.shape.length !== e.shape.length || a.shape.some((d, i) => d !== e.shape[i])) {
      return done({ status: 'fail', message: `output '${name}' has shape [${a.shape}], expected [${e.shape}]` });
    }
    const cmp = compareArrays(a.data as Float32Array, e.data as Float32Array, `${c.name}/${name}`, e.shape);
    outputs.push({ name, shape: e.shape, maxAbs: cmp.maxAbs, maxRel: cmp.maxRel, reference: 'reference-executor', pass: withinTolerance(cmp.maxAbs, cmp.scale, tolerance) });
  }
  const failing = outputs.filter((o) => !o.pass);
  return done({
    status: failing.length ? 'fail' : 'pass',
    maxAbs: Math.max(...outputs.map((o) => o.maxAbs)),
    maxRel: Math.max(...outputs.map((o) => o.maxRel)),
    outputs,
    ...(failing.length ? { message: `outside tolerance: ${failing.map((o) => `${o.name} abs ${o.maxAbs.toExponential(2)} rel ${o.maxRel.toExponential(2)}`).join(', ')}` } : {}),
  });
}
