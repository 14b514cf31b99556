// The suite is only worth running if it fails wrong backends: these are the reference kernels with
// one deliberate, plausible bug each, and a backend missing a primitive.
import { describe, expect, it } from 'vitest';
import { REFERENCE_KERNELS, createKernelTableBackend, erf, type KernelLookup, type KernelTable, type OpName, type TensorData } from '@swin/core';
import { runConformance } from '../src/index.js';

function variant(name: string, overrides: KernelLookup<TensorData>, drop: OpName[] = []): () => ReturnType<typeof createKernelTableBackend> {
  const kernels: KernelLookup<TensorData> = { ...REFERENCE_KERNELS, ...overrides };
  for (const op of drop) delete (kernels as Record<string, unknown>)[op];
  // Dropping a primitive on purpose (the suite must report it) makes the table incomplete, which
  // tsc would reject: this test checks the run-time side of that rule.
  const table = kernels as KernelTable<TensorData, OpName>;
  return () => createKernelTableBackend({ name, kernels: table, dtypes: ['float32', 'int32'], upload: (t) => t, download: (t) => t });
}

const unary = (fn: (v: number) => number) => ({ x }: { x: TensorData }): TensorData => ({
  dtype: 'float32',
  shape: x.shape,
  data: Float32Array.from(x.data as Float32Array, fn),
});

const quick = { swinT224: false, dynamicBatch: false } as const;

describe('the suite catches broken backends', () => {
  it('fails a tanh-approximated GELU (not the exact erf form of the contract)', async () => {
    const tanhGelu = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    const report = await runConformance(variant('tanh-gelu', { gelu: unary(tanhGelu) }), { ...quick, filter: (id) => id.startsWith('gelu/') });
    expect(report.ops.find((o) => o.op === 'gelu')!.status).toBe('fail');
    expect(report.summary.conforms).toBe(false);
    // Sanity: the exact form passes the same cases.
    const exact = await runConformance(variant('exact-gelu', { gelu: unary((v) => 0.5 * v * (1 + erf(v / Math.SQRT2))) }), { ...quick, filter: (id) => id.startsWith('gelu/') });
    expect(exact.summary.conforms).toBe(true);
  });

  it('fails a softmax without max subtraction on large logits only', async () => {
    const naive = ({ x }: { x: TensorData }): TensorData => {
      const src = x.data as Float32Array;
      const c = x.shape[x.shape.length - 1]!;
      const out = new Float32Array(src.length);
      for (let r = 0; r < src.length; r += c) {
        let s = 0;
        for (let i = 0; i < c; i++) s += Math.fround(Math.exp(src[r + i]!));
        for (let i = 0; i < c; i++) out[r + i] = Math.fround(Math.exp(src[r + i]!)) / s;
      }
      return { dtype: 'float32', shape: x.shape, data: out };
    };
    const report = await runConformance(variant('naive-softmax', { softmax: naive }), { ...quick, filter: (id) => id.startsWith('softmax/') });
    const failed = report.cases.filter((c) => c.status !== 'pass' && c.dtype === 'float32').map((c) => c.id);
    expect(failed).toContain('softmax/large-logits');
    expect(failed).not.toContain('softmax/random0');
  });

  it('fails a native windowPartition that rolls the wrong way', async () => {
    const { DECOMPOSITIONS, GraphBuilder, evaluateGraph } = await import('@swin/core');
    // Native kernel = core's decomposition with the shift negated: right on unshifted blocks only.
    const wrongRoll = ({ x }: { x: TensorData }, attrs: { window: [number, number]; shift: [number, number] }): TensorData => {
      const b = new GraphBuilder(false);
      const v = b.input('x', 'float32', x.shape);
      b.output(DECOMPOSITIONS.windowPartition(b, { x: v }, { window: attrs.window, shift: [-attrs.shift[0], -attrs.shift[1]] }));
      const g = b.build();
      return evaluateGraph(g, { x })[g.outputs[0]!.name]!;
    };
    const report = await runConformance(variant('wrong-roll', { windowPartition: wrongRoll }), { ...quick, filter: (id) => id.startsWith('windowPartition/') });
    const byId = new Map(report.cases.map((c) => [c.id, c.status]));
    expect(byId.get('windowPartition/no-shift')).toBe('pass');
    expect(byId.get('windowPartition/shift')).toBe('fail');
    expect(report.ops.find((o) => o.op === 'windowPartition')!.native).toBe(true);
  });

  it('reports a missing primitive as unsupported, and that fails conformance unless allowed', async () => {
    const factory = variant('no-conv', {}, ['conv2d']);
    const report = await runConformance(factory, { ...quick, filter: (id) => id.startsWith('conv2d/') });
    expect(report.cases.every((c) => c.status === 'unsupported')).toBe(true);
    expect(report.cases[0]!.message).toMatch(/UNSUPPORTED_OP.*conv2d/);
    expect(report.summary.conforms).toBe(false);
    const allowed = await runConformance(factory, { ...quick, filter: (id) => id.startsWith('conv2d/'), allowUnsupported: ['conv2d'] });
    expect(allowed.summary.conforms).toBe(true);
  });
});
