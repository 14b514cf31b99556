import { COMPOSITE_OPS, PRIMITIVE_OPS, isComposite, type Backend, type OpName } from '@swin/core';
import type { CaseResult, CaseStatus } from './case-result.js';
import { TOLERANCE_POLICY } from './tolerance.js';

/** Per-op roll-up of its cases. */
export interface OpSummary {
  readonly op: OpName;
  readonly kind: 'primitive' | 'composite';
  /** Composites only: run by the backend itself rather than lowered by core. */
  readonly native: boolean;
  /** Worst float32 status: fail/error beats unsupported beats pass. */
  readonly status: CaseStatus;
  /** float16 status, or 'none' when the op has no float16 case. */
  readonly float16: CaseStatus | 'none';
  readonly cases: number;
  readonly passed: number;
  /** Largest errors over the float32 cases. */
  readonly maxAbs: number;
  readonly maxRel: number;
  /** Largest relative error over the float16 cases (0 when none ran). */
  readonly float16MaxRel: number;
}

/** The machine-readable result of a conformance run (written as JSON). */
export interface ConformanceReport {
  readonly schema: 'swin-conformance/1';
  readonly backend: string;
  readonly generatedAt: string;
  readonly environment: string;
  readonly capabilities: { readonly ops: readonly string[]; readonly dtypes: readonly string[] };
  readonly tolerancePolicy: readonly string[];
  readonly summary: {
    readonly cases: number;
    readonly pass: number;
    readonly fail: number;
    readonly error: number;
    readonly unsupported: number;
    /** fail + error + unsupported cases that are required: 0 means the backend conforms. */
    readonly requiredFailures: number;
    readonly conforms: boolean;
  };
  readonly ops: readonly OpSummary[];
  readonly models: readonly CaseResult[];
  readonly cases: readonly CaseResult[];
}

/** True when a result counts against conformance (allowed ids or op names excepted for unsupported). */
export function isRequiredFailure(r: CaseResult, allowUnsupported: readonly string[] = []): boolean {
  if (r.status === 'fail' || r.status === 'error') return true;
  if (r.status !== 'unsupported' || !r.required) return false;
  return !allowUnsupported.includes(r.id) && !(r.op !== undefined && allowUnsupported.includes(r.op));
}

const RANK: Record<CaseStatus, number> = { pass: 0, unsupported: 1, fail: 2, error: 3 };

function worst(statuses: CaseStatus[]): CaseStatus {
  return statuses.reduce<CaseStatus>((a, s) => (RANK[s] > RANK[a] ? s : a), 'pass');
}

function describeEnvironment(): string {
  const g = globalThis as { process?: { versions?: { node?: string }; platform?: string; arch?: string }; navigator?: { userAgent?: string } };
  if (g.process?.versions?.node) return `node ${g.process.versions.node} ${g.process.platform ?? ''} ${g.process.arch ?? ''}`.trim();
  return g.navigator?.userAgent ?? 'unknown runtime';
}

/** Rolls case results up into the report. */
export function assembleReport(backend: Pick<Backend, 'name' | 'capabilities'>, results: readonly CaseResult[], allowUnsupported: readonly string[] = [], name = backend.name): ConformanceReport {
  const ops: OpSummary[] = [];
  for (const op of [...PRIMITIVE_OPS, ...COMPOSITE_OPS] as OpName[]) {
    const mine = results.filter((r) => r.kind === 'op' && r.op === op);
    if (mine.length === 0) continue;
    const f32 = mine.filter((r) => r.dtype !== 'float16');
    const f16 = mine.filter((r) => r.dtype === 'float16');
    const measured = f32.filter((r) => r.maxAbs !== undefined);
    const measured16 = f16.filter((r) => r.maxRel !== undefined);
    ops.push({
      op,
      kind: isComposite(op) ? 'composite' : 'primitive',
      native: backend.capabilities.ops.has(op),
      status: worst(f32.map((r) => r.status)),
      float16: f16.length ? worst(f16.map((r) => r.status)) : 'none',
      cases: mine.length,
      passed: mine.filter((r) => r.status === 'pass').length,
      maxAbs: Math.max(0, ...measured.map((r) => r.maxAbs!)),
      maxRel: Math.max(0, ...measured.map((r) => r.maxRel!)),
      float16MaxRel: Math.max(0, ...measured16.map((r) => r.maxRel!)),
    });
  }
  const count = (s: CaseStatus) => results.filter((r) => r.status === s).length;
  const requiredFailures = results.filter((r) => isRequiredFailure(r, allowUnsupported)).length;
  return {
    schema: 'swin-conformance/1',
    backend: name,
    generatedAt: new Date().toISOString(),
    environment: describeEnvironment(),
    capabilities: { ops: [...backend.capabilities.ops].sort(), dtypes: [...backend.capabilities.dtypes].sort() },
    tolerancePolicy: TOLERANCE_POLICY,
    summary: { cases: results.length, pass: count('pass'), fail: count('fail'), error: count('error'), unsupported: count('unsupported'), requiredFailures, conforms: requiredFailures === 0 },
    ops,
    models: results.filter((r) => r.kind === 'model'),
    cases: [...results],
  };
}
