import { SwinError } from '../../errors.js';
import { reshapeTensor, toFloat16, toFloat32, toInt32, type TensorData } from '../../tensor/tensor.js';
import type { KernelTable } from '../../backend/kernel-table.js';
import { inferOutputType } from '../shape-inference.js';
import { conv2dKernel } from './conv2d.js';
import { binaryKernel, gelu, unaryKernel } from './elementwise.js';
import { concatKernel, gatherKernel, padKernel, sliceKernel, transposeKernel } from './layout.js';
import { matmulKernel } from './matmul.js';
import { layerNormKernel, softmaxKernel } from './normalization.js';
import { reduceKernel } from './reduce.js';

function req(t: TensorData | undefined): TensorData {
  if (!t) throw new SwinError('INVALID_ARGUMENT', 'a required kernel input is absent');
  return t;
}

/**
 * Plain-TypeScript kernels for every primitive: float32 storage, float64 accumulation. Written to be
 * obviously right; they are the oracle the conformance suite compares other backends with.
 */
export const REFERENCE_KERNELS: KernelTable<TensorData> = {
  add: ([a, b]) => binaryKernel(req(a), req(b), (x, y) => x + y),
  sub: ([a, b]) => binaryKernel(req(a), req(b), (x, y) => x - y),
  mul: ([a, b]) => binaryKernel(req(a), req(b), (x, y) => x * y),
  div: ([a, b]) => binaryKernel(req(a), req(b), (x, y) => x / y),
  gelu: ([x]) => unaryKernel(req(x), gelu),
  relu: ([x]) => unaryKernel(req(x), (v) => (v > 0 ? v : 0)),
  sigmoid: ([x]) => unaryKernel(req(x), (v) => 1 / (1 + Math.exp(-v))),
  exp: ([x]) => unaryKernel(req(x), Math.exp),
  sqrt: ([x]) => unaryKernel(req(x), Math.sqrt),
  matmul: ([a, b], attrs) => matmulKernel(req(a), req(b), attrs.transB ?? false),
  layerNorm: ([x, g, b], attrs) => layerNormKernel(req(x), g, b, attrs.eps),
  softmax: ([x]) => softmaxKernel(req(x)),
  reshape: ([x], attrs) => {
    const t = req(x);
    return reshapeTensor(t, inferOutputType('reshape', [t], attrs).shape);
  },
  transpose: ([x], attrs) => transposeKernel(req(x), attrs.perm),
  slice: ([x], attrs) => sliceKernel(req(x), attrs),
  concat: (xs, attrs) => concatKernel(xs.map(req), attrs.axis),
  pad: ([x], attrs) => padKernel(req(x), attrs.pads, attrs.value ?? 0),
  gather: ([d, i], attrs) => gatherKernel(req(d), req(i), attrs.axis),
  conv2d: ([x, w, b], attrs) => conv2dKernel(req(x), req(w), b, attrs),
  reduceMean: ([x], attrs) => reduceKernel(req(x), attrs.axes, attrs.keepDims, true),
  reduceSum: ([x], attrs) => reduceKernel(req(x), attrs.axes, attrs.keepDims, false),
  cast: ([x], attrs) => {
    const t = req(x);
    if (attrs.to === 'float32') return toFloat32(t);
    if (attrs.to === 'float16') return toFloat16(t);
    if (t.dtype === 'float32' || t.dtype === 'float16') {
      return { dtype: 'int32', shape: t.shape, data: Int32Array.from(toFloat32(t).data, (v) => Math.trunc(v)) };
    }
    return toInt32(t);
  },
};
