import { afterAll, describe, expect, it } from 'vitest';
import { dawnBackend, disposeDawnBackends } from './helpers/dawn-backend.js';
import { OP_CASES, runOpCases } from './helpers/op-cases.js';

describe('webgpu on Dawn: op level against the reference backend', () => {
  afterAll(disposeDawnBackends);

  it('runs in a process with V8 optimization capped (--max-opt=2)', () => {
    expect(process.execArgv).toContain('--max-opt=2');
  });

  it('matches the reference on every op case within 1e-4 of the output scale', async () => {
    const backend = await dawnBackend();
    const results = await runOpCases(backend, OP_CASES);
    console.table(results.map((r) => ({ case: r.name, shape: r.shape.join('x'), maxAbsError: r.maxAbsError.toExponential(2), steps: r.steps })));
    for (const r of results) expect(r.maxAbsError, r.name).toBeLessThanOrEqual(1e-4 * Math.max(1, r.scale));
  });

  it('the other kernel flavour (workgroup tiling on a CPU adapter, registers on a GPU) matches too', async () => {
    const auto = await dawnBackend();
    const other = await dawnBackend(auto.tiling === 'registers' ? 'workgroup' : 'registers');
    expect(other.tiling).not.toBe(auto.tiling);
    // Only the ops whose kernels differ between flavours: matmul, layerNorm, softmax, attention.
    const cases = OP_CASES.filter((c) => /matmul|linear|layerNorm|softmax|Attention|block/.test(c.name));
    const results = await runOpCases(other, cases);
    console.table(results.map((r) => ({ case: r.name, maxAbsError: r.maxAbsError.toExponential(2) })));
    for (const r of results) expect(r.maxAbsError, r.name).toBeLessThanOrEqual(1e-4 * Math.max(1, r.scale));
  });

  it('fuses what it should: the shifted block is three steps, the linear chain one', async () => {
    const backend = await dawnBackend();
    const results = await runOpCases(backend, OP_CASES.filter((c) => c.name.includes('(fused)')));
    const block = results.find((r) => r.name.startsWith('shifted block'))!;
    expect(block.steps).toBe('layerNorm,attention.qkv,attention.core,attention.proj');
    expect(results.find((r) => r.name.startsWith('linear + gelu'))!.steps).toBe('matmul');
  });
});
