import { SwinError, evaluateGraph, formatShape, toFloat32, type Backend, type TensorData } from '@swin/core';
import type { CaseResult } from '../report/case-result.js';
import { compareArrays } from '../report/compare-tensors.js';
import { opTolerance, withinTolerance } from '../report/tolerance.js';
import { executeOnBackend } from '../run/execute-on-backend.js';
import { materializeOpCase } from './materialize-op-case.js';
import type { OpCase } from './op-case.js';

function numbers(t: TensorData): ArrayLike<number> {
  return t.dtype === 'int32' ? (t.data as Int32Array) : toFloat32(t).data;
}

/**
 * Runs one op case on the backend and on the reference oracle (core's reference kernels, composites
 * as their decompositions) and compares. float16 cases run only where the backend declares float16.
 */
export async function runOpCase(backend: Backend, c: OpCase): Promise<CaseResult> {
  const started = performance.now();
  const tolerance = opTolerance(c.op, c.dtype, c.reduction);
  const base = {
    id: c.id,
    kind: 'op' as const,
    op: c.op,
    title: c.title,
    dtype: c.dtype,
    required: c.dtype === 'float32',
    native: backend.capabilities.ops.has(c.op),
    tolerance,
  };
  const done = (rest: Partial<CaseResult> & Pick<CaseResult, 'status'>): CaseResult => ({ ...base, ...rest, durationMs: performance.now() - started });
  if (c.dtype === 'float16' && !backend.capabilities.dtypes.has('float16')) {
    return done({ status: 'unsupported', message: `backend '${backend.name}' does not declare float16 in capabilities.dtypes` });
  }
  const { graph, inputs, output } = materializeOpCase(c);
  const expected = evaluateGraph(graph, inputs)[output];
  const declared = graph.values.get(output);
  if (!expected || !declared) throw new SwinError('INVALID_ARGUMENT', `conformance case ${c.id}: its graph has no output '${output}'`);
  const run = await executeOnBackend(backend, graph, inputs);
  if (run.kind === 'unsupported') return done({ status: 'unsupported', message: run.message });
  if (run.kind === 'error') return done({ status: 'error', message: run.message });
  const actual = run.outputs[output];
  if (!actual) return done({ status: 'fail', message: `backend returned no output '${output}' (got ${Object.keys(run.outputs).join(', ') || 'nothing'})` });
  if (actual.dtype !== declared.dtype) return done({ status: 'fail', message: `output dtype ${actual.dtype}, expected ${declared.dtype}` });
  if (actual.shape.length !== expected.shape.length || actual.shape.some((d, i) => d !== expected.shape[i])) {
    return done({ status: 'fail', message: `output shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}` });
  }
  const cmp = compareArrays(numbers(actual), numbers(expected), c.id, expected.shape);
  const pass = withinTolerance(cmp.maxAbs, cmp.scale, tolerance);
  return done({
    status: pass ? 'pass' : 'fail',
    maxAbs: cmp.maxAbs,
    maxRel: cmp.maxRel,
    outputs: [{ name: output, shape: expected.shape, maxAbs: cmp.maxAbs, maxRel: cmp.maxRel, reference: 'reference-executor', pass }],
    ...(pass ? {} : { message: `max abs error ${cmp.maxAbs.toExponential(3)} exceeds atol ${tolerance.atol} + rtol ${tolerance.rtol.toExponential(2)} x scale ${cmp.scale.toPrecision(4)}` }),
  });
}
