import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Backend, BackendFactory } from '@swin/core';
import type { CaseResult } from '../report/case-result.js';
import { assembleReport, isRequiredFailure } from '../report/conformance-report.js';
import type { ConformanceOptions } from '../run/conformance-options.js';
import { planConformance } from '../run/conformance-plan.js';

/** Options of describeBackend: the suite's options plus Node's defaults and timeouts. */
export interface DescribeBackendOptions extends ConformanceOptions {
  /** Node: repository root (default: found from the working directory). */
  readonly root?: string;
  /** Node: directory for `<name>.json` (default `<root>/reports/conformance`); false writes nothing. */
  readonly reportDir?: string | false;
  /** Per-case timeout in ms (default 120 s; the Swin-T 224 case gets 15 minutes). */
  readonly timeout?: number;
}

function runningInNode(): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
}

/**
 * Registers the conformance suite for one backend with vitest: one test per op case and per model,
 * a failing test per case outside tolerance, a skipped test (with the reason) per optional case the
 * backend declares unsupported, and the JSON report written when the suite ends (Node).
 */
export function describeBackend(name: string, factory: BackendFactory, options: DescribeBackendOptions = {}): void {
  describe(`conformance: ${name}`, async () => {
    const resolved: ConformanceOptions = runningInNode()
      ? (await import('../node/node-defaults.js')).withNodeDefaults({ ...options, name })
      : { ...options, name };
    const allow = options.allowUnsupported ?? [];
    const results: CaseResult[] = [];
    let backend: Backend | undefined;

    beforeAll(async () => {
      backend = await factory({});
    }, 120_000);

    afterAll(async () => {
      if (!backend) return;
      try {
        // A filtered run (-t) would overwrite the full report with a partial one: write only complete runs.
        if (results.length === cases.length) await resolved.writeReport?.(assembleReport(backend, results, allow, name));
      } finally {
        await backend.dispose();
      }
    }, 120_000);

    const cases = planConformance(resolved);
    for (const c of cases) {
      it(
        `${c.id}: ${c.title}`,
        async (ctx) => {
          if (!backend) throw new Error(`backend '${name}' was not created`);
          const r = await c.run(backend);
          results.push(r);
          resolved.onResult?.(r);
          if (isRequiredFailure(r, allow)) {
            const err = r.maxAbs === undefined ? '' : ` (max abs ${r.maxAbs.toExponential(3)}, max rel ${r.maxRel!.toExponential(3)}, tolerance: ${r.tolerance.rule})`;
            throw new Error(`${r.id}: ${r.status}${err}${r.message ? `: ${r.message}` : ''}`);
          }
          if (r.status === 'unsupported') ctx.skip(`unsupported: ${r.message ?? ''}`);
        },
        options.timeout ?? (c.slow ? 900_000 : 120_000),
      );
    }
  });
}
