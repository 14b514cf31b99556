import { reshapeTensor, toFloat16, toFloat32, toInt32, type TensorData } from '../../tensor/tensor.js';
import type { KernelTable } from '../kernel.js';
import type { PrimitiveOp } from '../op-set.js';
import { inferOutputType } from '../shape-inference.js';
import { conv2dKernel } from './conv2d.js';
import { binaryKernel, gelu, unaryKernel } from './elementwise.js';
import { concatKernel, gatherKernel, padKernel, sliceKernel, transposeKernel } from './layout.js';
import { matmulKernel } from './matmul.js';
import { layerNormKernel, softmaxKernel } from './normalization.js';
import { reduceKernel } from './reduce.js';

/**
 * Plain-TypeScript kernels for every primitive: float32 storage, float64 accumulation. Written to be
 * obviously right; they are the oracle the conformance suite compares other backends with.
 */
export const REFERENCE_KERNELS: KernelTable<TensorData, PrimitiveOp, TensorData> = {
  add: ({ a, b }) => binaryKernel(a, b, (x, y) => x + y),
  sub: ({ a, b }) => binaryKernel(a, b, (x, y) => x - y),
  mul: ({ a, b }) => binaryKernel(a, b, (x, y) => x * y),
  div: ({ a, b }) => binaryKernel(a, b, (x, y) => x / y),
  gelu: ({ x }) => unaryKernel(x, gelu),
  relu: ({ x }) => unaryKernel(x, (v) => (v > 0 ? v : 0)),
  sigmoid: ({ x }) => unaryKernel(x, (v) => 1 / (1 + Math.exp(-v))),
  exp: ({ x }) => unaryKernel(x, Math.exp),
  sqrt: ({ x }) => unaryKernel(x, Math.sqrt),
  matmul: ({ a, b }, attrs) => matmulKernel(a, b, attrs.transB ?? false),
  layerNorm: ({ x, gamma, beta }, attrs) => layerNormKernel(x, gamma, beta, attrs.eps),
  softmax: ({ x }) => softmaxKernel(x),
  reshape: ({ x }, attrs) => {
    return reshapeTensor(x, inferOutputType('reshape', [x], attrs).shape);
  },
  transpose: ({ x }, attrs) => transposeKernel(x, attrs.perm),
  slice: ({ x }, attrs) => sliceKernel(x, attrs),
  concat: ({ xs }, attrs) => concatKernel(xs, attrs.axis),
  pad: ({ x }, attrs) => padKernel(x, attrs.pads, attrs.value ?? 0),
  gather: ({ data, indices }, attrs) => gatherKernel(data, indices, attrs.axis),
  conv2d: ({ x, weight, bias }, attrs) => conv2dKernel(x, weight, bias, attrs),
  reduceMean: ({ x }, attrs) => reduceKernel(x, attrs.axes, attrs.keepDims, true),
  reduceSum: ({ x }, attrs) => reduceKernel(x, attrs.axes, attrs.keepDims, false),
  cast: ({ x: t }, attrs) => {
    if (attrs.to === 'float32') return toFloat32(t);
    if (attrs.to === 'float16') return toFloat16(t);
    if (t.dtype === 'float32' || t.dtype === 'float16') {
      return { dtype: 'int32', shape: t.shape, data: Int32Array.from(toFloat32(t).data, (v) => Math.trunc(v)) };
    }
    return toInt32(t);
  },
};
