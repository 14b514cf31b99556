// @swin/conformance: the one suite every Swin backend runs. Framework-free and browser-safe here;
// `@swin/conformance/vitest` wraps it as describeBackend, `@swin/conformance/node` finds the
// fixtures on disk and writes reports.

export * from './report/tolerance.js';
export * from './report/case-result.js';
export * from './report/compare-tensors.js';
export * from './report/conformance-report.js';
export * from './report/render-matrix.js';

export * from './ops/op-case.js';
export * from './ops/materialize-op-case.js';
export { primitiveCases } from './ops/primitive-cases.js';
export { compositeCases } from './ops/composite-cases.js';
export { allOpCases } from './ops/all-op-cases.js';
export { runOpCase } from './ops/run-op-case.js';

export * from './models/model-fixture.js';
export * from './models/oracle-cache.js';
export * from './models/run-fixture-case.js';
export * from './models/random-model-cases.js';

export * from './run/execute-on-backend.js';
export * from './run/conformance-options.js';
export * from './run/conformance-plan.js';
export * from './run/run-conformance.js';
