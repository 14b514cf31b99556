// float16 cases run where a backend declares float16: a reference-kernel backend that takes half
// inputs, computes in float32 and rounds its outputs to half must pass them; one that forgets to
// round to half must be caught by the dtype check.
import { describe, expect, it } from 'vitest';
import { REFERENCE_KERNELS, createKernelTableBackend, toFloat16, type Backend, type TensorData } from '@swin/core';
import { runConformance } from '../src/index.js';

function halfBackend(roundOutputs: boolean): Backend {
  const inner = createKernelTableBackend<TensorData>({ name: 'half', kernels: REFERENCE_KERNELS, dtypes: ['float32', 'float16', 'int32'], upload: (t) => t, download: (t) => t });
  return {
    ...inner,
    async compile(graph, options) {
      const exe = await inner.compile(graph, options);
      return {
        async run(inputs) {
          const out = await exe.run(inputs);
          if (roundOutputs) for (const o of graph.outputs) if (o.dtype === 'float16') out[o.name] = toFloat16(out[o.name]!);
          return out;
        },
        dispose: () => exe.dispose(),
      };
    },
  };
}

const f16Only = { swinT224: false, dynamicBatch: false, filter: (id: string) => id.endsWith('/f16') } as const;

describe('float16 cases', () => {
  it('pass on a backend that declares float16 and rounds like one', async () => {
    const report = await runConformance(() => halfBackend(true), f16Only);
    expect(report.cases.length).toBeGreaterThanOrEqual(10);
    for (const c of report.cases) expect(c.status, `${c.id}: ${c.message ?? ''}`).toBe('pass');
    expect(report.ops.find((o) => o.op === 'matmul')!.float16).toBe('pass');
  });

  it('fail on a backend that returns float32 where the graph says float16', async () => {
    const report = await runConformance(() => halfBackend(false), f16Only);
    const linear = report.cases.find((c) => c.id === 'linear/tokens/f16')!;
    expect(linear.status).toBe('fail');
    expect(linear.message).toMatch(/dtype float32, expected float16/);
  });

  it('are reported unsupported, and do not break conformance, where float16 is not declared', async () => {
    const { createReferenceBackend } = await import('@swin/core');
    const report = await runConformance(createReferenceBackend, f16Only);
    expect(report.cases.every((c) => c.status === 'unsupported' && !c.required)).toBe(true);
    expect(report.summary.conforms).toBe(true);
  });
});
