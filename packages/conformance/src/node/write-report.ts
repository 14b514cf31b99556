import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ConformanceReport } from '../report/conformance-report.js';

/** File name of a backend's report: its name with anything unsafe for a path replaced. */
export function reportFileName(backend: string): string {
  return `${backend.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;
}

/** Writes the report as JSON (atomically: a reader never sees half a file); returns the path. */
export function writeReportFile(report: ConformanceReport, dir: string): string {
  const path = join(dir, reportFileName(report.backend));
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(report, null, 1)}\n`);
  renameSync(tmp, path);
  return path;
}
