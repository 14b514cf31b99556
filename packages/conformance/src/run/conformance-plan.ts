import type { Backend } from '@swin/core';
import { fixtureCaseId, runFixtureCase } from '../models/run-fixture-case.js';
import { DYNAMIC_BATCH_CASE, SWIN_T_224_CASE, runRandomModelCase } from '../models/random-model-cases.js';
import { allOpCases } from '../ops/all-op-cases.js';
import { runOpCase } from '../ops/run-op-case.js';
import type { CaseResult } from '../report/case-result.js';
import type { ConformanceOptions } from './conformance-options.js';

/** One schedulable check: an op case or a model. */
export interface ConformanceCase {
  readonly id: string;
  readonly kind: 'op' | 'model';
  readonly title: string;
  /** Rough cost class, so runners can give slow cases a longer timeout. */
  readonly slow: boolean;
  run(backend: Backend): Promise<CaseResult>;
}

/** Every case the options select, ops first, then fixtures, then the random-weights models. */
export function planConformance(options: ConformanceOptions = {}): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const c of allOpCases()) cases.push({ id: c.id, kind: 'op', title: c.title, slow: false, run: (b) => runOpCase(b, c) });
  for (const f of options.fixtures ?? []) {
    cases.push({ id: fixtureCaseId(f), kind: 'model', title: f.description ?? f.name, slow: false, run: (b) => runFixtureCase(b, f) });
  }
  if (options.dynamicBatch !== false) {
    const c = DYNAMIC_BATCH_CASE;
    cases.push({ id: c.id, kind: 'model', title: c.title, slow: false, run: (b) => runRandomModelCase(b, c, options.oracleCache) });
  }
  if (options.swinT224 !== false) {
    const c = SWIN_T_224_CASE;
    cases.push({ id: c.id, kind: 'model', title: c.title, slow: true, run: (b) => runRandomModelCase(b, c, options.oracleCache) });
  }
  return options.filter ? cases.filter((c) => options.filter!(c.id)) : cases;
}
