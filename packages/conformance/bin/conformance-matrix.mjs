#!/usr/bin/env node
// Aggregates reports/conformance/*.json (one per backend, written by each backend's conformance
// test) into the Markdown matrix docs/conformance.md. Usage:
//   swin-conformance-matrix [--reports DIR] [--out FILE]     (defaults: <repo>/reports/conformance, <repo>/docs/conformance.md)
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderConformanceMatrix } from '../dist/index.js';
import { findRepoRoot } from '../dist/node/index.js';

function arg(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const root = findRepoRoot();
const reportsDir = arg('--reports') ?? join(root, 'reports', 'conformance');
const out = arg('--out') ?? join(root, 'docs', 'conformance.md');
if (!existsSync(reportsDir)) {
  console.error(`no reports in ${reportsDir}: run the backends' conformance tests first (pnpm -r test)`);
  process.exit(1);
}
const reports = readdirSync(reportsDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(reportsDir, f), 'utf8')))
  .filter((r) => r.schema === 'swin-conformance/1');
if (reports.length === 0) {
  console.error(`no swin-conformance/1 reports in ${reportsDir}`);
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, renderConformanceMatrix(reports));
console.log(`wrote ${out} from ${reports.length} report(s): ${reports.map((r) => r.backend).join(', ')}`);
