import type { Backend, BackendFactory } from '@swin/core';
import type { CaseResult } from '../report/case-result.js';
import { assembleReport, type ConformanceReport } from '../report/conformance-report.js';
import type { ConformanceOptions } from './conformance-options.js';
import { planConformance } from './conformance-plan.js';

/**
 * Runs the whole suite on a fresh backend from `factory` and returns the report (also handed to
 * `options.writeReport`). Framework-free: throws only for harness bugs, never for a failing case.
 */
export async function runConformance(factory: BackendFactory, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const backend: Backend = await factory({});
  const results: CaseResult[] = [];
  try {
    for (const c of planConformance(options)) {
      const r = await c.run(backend);
      results.push(r);
      options.onResult?.(r);
    }
  } finally {
    await backend.dispose();
  }
  const report = assembleReport(backend, results, options.allowUnsupported, options.name);
  await options.writeReport?.(report);
  return report;
}
