import { join } from 'node:path';
import type { BackendFactory } from '@swin/core';
import type { ConformanceReport } from '../report/conformance-report.js';
import type { ConformanceOptions } from '../run/conformance-options.js';
import { runConformance } from '../run/run-conformance.js';
import { discoverFixtures } from './discover-fixtures.js';
import { fileOracleCache } from './file-oracle-cache.js';
import { findRepoRoot } from './repo-root.js';
import { writeReportFile } from './write-report.js';

/** Node-only additions to the options. */
export interface NodeConformanceOptions extends ConformanceOptions {
  /** Repository root (default: found from the working directory). */
  readonly root?: string;
  /** Directory for `<backend>.json` (default `<root>/reports/conformance`); false writes nothing. */
  readonly reportDir?: string | false;
}

/** Fills in what Node can: fixtures found on disk, the reference-output cache, and the JSON report writer. */
export function withNodeDefaults(options: NodeConformanceOptions = {}): ConformanceOptions {
  const root = options.root ?? findRepoRoot();
  const reportDir = options.reportDir === undefined ? join(root, 'reports', 'conformance') : options.reportDir;
  const userWrite = options.writeReport;
  return {
    ...options,
    fixtures: options.fixtures ?? discoverFixtures({ root }),
    oracleCache: options.oracleCache ?? fileOracleCache(join(root, 'reports', 'conformance', '.cache')),
    writeReport: async (report: ConformanceReport) => {
      if (reportDir !== false) writeReportFile(report, reportDir);
      await userWrite?.(report);
    },
  };
}

/** runConformance with the Node defaults: discovers fixtures, writes reports/conformance/<backend>.json. */
export function runConformanceInNode(factory: BackendFactory, options: NodeConformanceOptions = {}): Promise<ConformanceReport> {
  return runConformance(factory, withNodeDefaults(options));
}
