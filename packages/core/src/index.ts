// @swin/core: tensors, the op set, the graph IR and its passes, the backend contract with the
// reference backend, and the Swin model builders.

export * from './errors.js';
export * from './tensor/dtype.js';
export * from './tensor/float16.js';
export * from './tensor/tensor.js';

export * from './ops/op-set.js';
export * from './ops/broadcast.js';
export * from './ops/shape-inference.js';
export { DECOMPOSITIONS, type Decomposition } from './ops/decompositions/index.js';
export { REFERENCE_KERNELS } from './ops/reference/reference-kernels.js';
export { erf, gelu } from './ops/reference/elementwise.js';

export * from './graph/graph.js';
export * from './graph/graph-builder.js';

export * from './passes/rewrite-graph.js';
export * from './passes/lower-composites.js';
export * from './passes/fold-constants.js';
export * from './passes/eliminate-dead-values.js';
export * from './passes/liveness-plan.js';
export * from './passes/prepare-graph.js';
export * from './passes/infer-shapes.js';
export * from './passes/evaluate-graph.js';

export * from './backend/backend.js';
export * from './backend/backend-registry.js';
export * from './backend/kernel-table.js';
export * from './backend/reference-backend.js';

export * from './models/weight-map.js';
export * from './models/model-counts.js';
export * from './models/swin/swin-config.js';
export * from './models/swin/swin-outputs.js';
export * from './models/swin/stage-geometry.js';
export * from './models/swin/relative-position-index.js';
export * from './models/swin/shift-window-mask.js';
export * from './models/swin/build-swin-graph.js';
export * from './models/swin/infer-swin-config.js';

export * from './io/npy.js';
export * from './models/seeded-random.js';
export * from './models/swin/swin-weight-shapes.js';
export * from './models/swin/random-swin-weights.js';
export * from './models/swin/swin-complexity.js';
