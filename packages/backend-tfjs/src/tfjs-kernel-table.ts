import { createConv2dKernels } from './kernels/conv2d-kernel.js';
import { ELEMENTWISE_KERNELS } from './kernels/elementwise-kernels.js';
import type { TfjsKernelContext, TfjsKernelTable } from './kernels/kernel-support.js';
import { LAYOUT_KERNELS } from './kernels/layout-kernels.js';
import { createMatmulKernels } from './kernels/matmul-kernels.js';
import { NORMALIZATION_KERNELS } from './kernels/normalization-kernels.js';
import { REDUCE_CAST_KERNELS } from './kernels/reduce-cast-kernels.js';
import { createWindowAttentionKernels } from './kernels/window-attention-kernel.js';
import { WINDOW_KERNELS } from './kernels/window-kernels.js';

/**
 * Every primitive plus the composites tfjs runs faster whole than as core's decomposition:
 * linear and windowAttention (rank-2 products on pre-transposed weights), windowPartition /
 * windowReverse / patchMerging (one transpose instead of a chain of slices and reshapes).
 */
export function createTfjsKernelTable(ctx: TfjsKernelContext): TfjsKernelTable {
  return {
    ...ELEMENTWISE_KERNELS,
    ...createMatmulKernels(ctx),
    ...NORMALIZATION_KERNELS,
    ...LAYOUT_KERNELS,
    ...createConv2dKernels(ctx),
    ...REDUCE_CAST_KERNELS,
    ...WINDOW_KERNELS,
    ...createWindowAttentionKernels(ctx),
  };
}
