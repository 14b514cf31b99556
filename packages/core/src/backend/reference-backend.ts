import { REFERENCE_KERNELS } from '../ops/reference/reference-kernels.js';
import type { TensorData } from '../tensor/tensor.js';
import { toFloat32 } from '../tensor/tensor.js';
import type { Backend } from './backend.js';
import { createKernelTableBackend } from './kernel-table.js';

/** The pure-TypeScript backend: primitives only (composites run as their decompositions). The oracle. */
export function createReferenceBackend(): Backend {
  return createKernelTableBackend<TensorData>({
    name: 'reference',
    kernels: REFERENCE_KERNELS,
    dtypes: ['float32', 'int32'],
    upload: (t) => (t.dtype === 'float16' ? toFloat32(t) : t),
    download: (t) => t,
  });
}
