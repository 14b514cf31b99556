// @swin/core: tensors, the op set, the graph IR and its passes, the backend contract with the
// reference backend, and the model builders (Swin V1, Swin V2, CrossFormer).

export * from './errors.js';
export * from './memory/allocation-budget.js';
export * from './tensor/dtype.js';
export * from './tensor/float16.js';
export * from './tensor/tensor.js';
export * from './tensor/shape-dims.js';

export * from './ops/op-set.js';
export * from './ops/broadcast.js';
export * from './ops/shape-inference.js';
export * from './ops/op-inputs.js';
export { runKernel, type KernelCall } from './ops/kernel.js';
export { DECOMPOSITIONS, type Decomposition } from './passes/decompositions/index.js';
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
export * from './models/seeded-random.js';
export * from './io/npy.js';
export * from './io/safetensors.js';

// Shared by every family (models/common).
export * from './models/common/model-output-spec.js';
export * from './models/common/stage-geometry.js';
export * from './models/common/relative-position-index.js';
export * from './models/common/shift-window-mask.js';
export * from './models/common/placeholder-weights.js';
export type { SwinCommonConfig } from './models/common/swin-common-config.js';
export type { WeightShapes } from './models/common/shared-weight-shapes.js';

// What a family is, the registry, and the family-agnostic entry points over it.
export * from './models/model-family.js';
export * from './models/huggingface-names.js';
export * from './models/model-families.js';
export * from './models/model-config.js';
export * from './models/infer-model-config.js';
export * from './models/build-model-graph.js';
export * from './models/model-weight-shapes.js';
export * from './models/model-complexity.js';

export * from './models/swin-v1/swin-v1-family.js';
export * from './models/swin-v1/swin-v1-config.js';
export * from './models/swin-v1/adapt-swin-v1-config.js';
export * from './models/swin-v1/build-swin-v1-graph.js';
export * from './models/swin-v1/infer-swin-v1-config.js';
export * from './models/swin-v1/swin-v1-weight-shapes.js';
export * from './models/swin-v1/random-swin-v1-weights.js';

export * from './models/swin-v2/swin-v2-family.js';
export * from './models/swin-v2/swin-v2-config.js';
export * from './models/swin-v2/log-spaced-coords.js';
export * from './models/swin-v2/clamped-logit-scale.js';
export * from './models/swin-v2/cosine-window-attention.js';
export * from './models/swin-v2/build-swin-v2-graph.js';
export * from './models/swin-v2/infer-swin-v2-config.js';
export * from './models/swin-v2/swin-v2-weight-shapes.js';
export * from './models/swin-v2/random-swin-v2-weights.js';

export * from './models/crossformer/crossformer-family.js';
export * from './models/crossformer/crossformer-config.js';
export * from './models/crossformer/group-geometry.js';
export * from './models/crossformer/group-sizes.js';
export * from './models/crossformer/group-tokens.js';
export * from './models/crossformer/padded-key-mask.js';
export * from './models/crossformer/relative-offsets.js';
export * from './models/crossformer/build-crossformer-graph.js';
export * from './models/crossformer/infer-crossformer-config.js';
export * from './models/crossformer/crossformer-weight-shapes.js';
export * from './models/crossformer/random-crossformer-weights.js';

export * from './preprocess/rgb-image.js';
export * from './preprocess/pil-bicubic-resize.js';
export * from './preprocess/center-crop.js';
export * from './preprocess/normalize-to-tensor.js';
export * from './preprocess/preprocess-spec.js';
export * from './preprocess/preprocess-image.js';
