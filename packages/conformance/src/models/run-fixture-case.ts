import { ConfigError, buildModelGraph, dimsOf, inferModelConfig, resolveModelOutputs, type Backend, type ModelConfig } from '@swin/core';
import type { CaseResult, OutputError } from '../report/case-result.js';
import { compareArrays } from '../report/compare-tensors.js';
import { fixtureTolerance, withinTolerance } from '../report/tolerance.js';
import { executeOnBackend } from '../run/execute-on-backend.js';
import { CheckpointReaderUnavailable, type ModelFixture } from './model-fixture.js';

/** Stable case id of a fixture. */
export function fixtureCaseId(f: ModelFixture): string {
  return `model/${f.source}/${f.name}`;
}

/**
 * Runs a PyTorch fixture (any family core builds) on the backend at the fixture's own batch and input size, and compares
 * every output the fixture recorded (float64 files where present) within the family's tolerance.
 */
export async function runFixtureCase(backend: Backend, fixture: ModelFixture): Promise<CaseResult> {
  const started = performance.now();
  const tolerance = fixtureTolerance(fixture.family); // refined once the config is loaded
  const base = { id: fixtureCaseId(fixture), kind: 'model' as const, model: fixture.name, title: fixture.description ?? fixture.name, dtype: 'float32' as const, tolerance };
  const done = (rest: Partial<CaseResult> & Pick<CaseResult, 'status' | 'required'>): CaseResult => ({ ...base, ...rest, durationMs: performance.now() - started });
  let loaded;
  try {
    loaded = await fixture.load();
  } catch (err) {
    if (err instanceof CheckpointReaderUnavailable) return done({ status: 'unsupported', required: false, message: err.message });
    throw err;
  }
  // The bar can depend on the architecture (CrossFormer++ with CPE), known once loaded.
  base.tolerance = fixtureTolerance(fixture.family, loaded.config);
  let config: ModelConfig;
  try {
    config = inferModelConfig(loaded.weights, { family: fixture.family, ...loaded.config });
  } catch (err) {
    // A family core cannot build yet is a gap in core, not in the backend: reported, not failed.
    if (err instanceof ConfigError && /config\.family/.test(err.message)) {
      return done({ status: 'unsupported', required: false, message: `@swin/core cannot build family '${fixture.family}': ${err.message}` });
    }
    throw err;
  }
  const [batch, , h, w] = dimsOf(loaded.input.shape, 4, `fixture ${fixture.name} input`);
  const known = new Set(resolveModelOutputs('all', config.depths, config.num_classes > 0));
  const expected = loaded.expected.filter((e) => known.has(e.name));
  if (expected.length === 0) return done({ status: 'error', required: true, message: `fixture records none of the outputs the builder knows (${[...known].join(', ')})` });
  const model = buildModelGraph(config, loaded.weights, { inputSize: [h, w], batch, outputs: expected.map((e) => e.name) });
  const run = await executeOnBackend(backend, model.graph, { input: loaded.input });
  if (run.kind === 'unsupported') return done({ status: 'unsupported', required: true, message: run.message });
  if (run.kind === 'error') return done({ status: 'error', required: true, message: run.message });
  const outputs: OutputError[] = [];
  for (const e of expected) {
    const actual = run.outputs[e.name];
    if (!actual) return done({ status: 'fail', required: true, message: `backend returned no output '${e.name}'` });
    const cmp = compareArrays(actual.data as Float32Array, e.data, `${fixture.name}/${e.name}`, e.shape);
    outputs.push({
      name: e.name,
      shape: e.shape,
      maxAbs: cmp.maxAbs,
      maxRel: cmp.maxRel,
      reference: e.precision === 'float64' ? 'float64-fixture' : 'float32-fixture',
      pass: withinTolerance(cmp.maxAbs, cmp.scale, base.tolerance),
    });
  }
  // expected is not empty (checked above), so neither is outputs.
  const worst = outputs.reduce((a, o) => (o.maxAbs > a.maxAbs ? o : a), outputs[0]!);
  const failing = outputs.filter((o) => !o.pass);
  return done({
    status: failing.length ? 'fail' : 'pass',
    required: true,
    maxAbs: worst.maxAbs,
    maxRel: Math.max(...outputs.map((o) => o.maxRel)),
    outputs,
    ...(failing.length ? { message: `outside atol ${base.tolerance.atol}: ${failing.map((o) => `${o.name} ${o.maxAbs.toExponential(2)}`).join(', ')}` } : {}),
  });
}
