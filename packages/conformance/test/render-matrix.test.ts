import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '@swin/core';
import { assembleReport, opTolerance, renderConformanceMatrix, type CaseResult } from '../src/index.js';

const tol = opTolerance('add', 'float32');
const row = (id: string, status: CaseResult['status'], maxAbs?: number): CaseResult => ({
  id,
  kind: id.startsWith('model/') ? 'model' : 'op',
  ...(id.startsWith('model/') ? { model: id } : { op: id.split('/')[0] as 'add' }),
  title: id,
  dtype: 'float32',
  status,
  required: true,
  tolerance: tol,
  ...(maxAbs !== undefined ? { maxAbs, maxRel: maxAbs } : {}),
  durationMs: 1,
});

describe('renderConformanceMatrix', () => {
  it('puts backends in columns, ops and models in rows, and lists every case that did not pass', () => {
    const backend = createReferenceBackend();
    const a = assembleReport(backend, [row('add/x', 'pass', 1e-7), row('model/fixtures/m', 'pass', 2e-6)], [], 'alpha');
    const b = assembleReport(backend, [row('add/x', 'fail', 0.5), row('model/fixtures/m', 'unsupported')], [], 'beta');
    const md = renderConformanceMatrix([b, a]);
    expect(md).toMatch(/\| op \| kind \| cases \| alpha \| beta \|/);
    expect(md).toMatch(/\| add \| primitive \| 1 \| ✓ 1\.0e-7 \| ✗ fail \|/);
    expect(md).toMatch(/\| fixtures\/m \|.*\| ✓ 2\.0e-6 \| unsupported \|/);
    expect(md).toMatch(/### beta[\s\S]*`add\/x` — fail/);
    expect(b.summary.conforms).toBe(false);
    expect(a.summary.conforms).toBe(true);
  });
});
