// The worked example of docs/backends.md, kept compiling and conforming by this test.
import { describe, expect, it } from 'vitest';
import { REFERENCE_KERNELS, createKernelTableBackend, shapeSize, type Kernel, type TensorData } from '@swin/core';
import { runConformance } from '../src/index.js';

// --- docs/backends.md: worked example ---------------------------------------------------------
/** linear(x, w, b) = x @ w^T + b over [..., in] rows, as one native kernel. */
const linear: Kernel<TensorData, 'linear'> = ({ x, weight: w, bias: b }) => {
  const inF = w.shape[1]!;
  const outF = w.shape[0]!;
  const rows = shapeSize(x.shape) / inF;
  const xd = x.data as Float32Array;
  const wd = w.data as Float32Array;
  const bd = b?.data as Float32Array | undefined;
  const out = new Float32Array(rows * outF);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outF; o++) {
      let s = bd ? bd[o]! : 0;
      for (let i = 0; i < inF; i++) s += xd[r * inF + i]! * wd[o * inF + i]!;
      out[r * outF + o] = s;
    }
  }
  return { dtype: 'float32', shape: [...x.shape.slice(0, -1), outF], data: out };
};

/** A backend: core's reference primitives plus a native linear. */
export function createMyBackend() {
  return createKernelTableBackend<TensorData, 'linear'>({
    name: 'my-backend',
    kernels: { ...REFERENCE_KERNELS, linear },
    dtypes: ['float32', 'int32'],
    upload: (t) => t, // host arrays are this backend's handles
    download: (t) => t,
  });
}
// -----------------------------------------------------------------------------------------------

describe('docs/backends.md worked example', () => {
  it('conforms on every op and on the dynamic-batch model', async () => {
    const report = await runConformance(createMyBackend, { swinT224: false });
    expect(report.ops.find((o) => o.op === 'linear')).toMatchObject({ native: true, status: 'pass' });
    expect(report.summary.requiredFailures).toBe(0);
  });
});
