// The pieces a kernel hands to the runtime: which shader (by key), which buffers, which
// parameters, how many workgroups. Kernels never touch the device themselves.

/** Element type of a float buffer in WGSL: f32 by default, f16 when the backend runs in float16. */
export type FloatType = 'f32' | 'f16';

/** Element type of any buffer: the float type, or i32 for integer tensors. */
export type ElementType = FloatType | 'i32';

/** A WGSL program, identified by a key that names everything its source depends on. */
export interface ShaderSpec {
  readonly key: string;
  readonly code: () => string;
}

/** One compute dispatch: buffers are value names (inputs in binding order, output last). */
export interface DispatchSpec {
  readonly shader: ShaderSpec;
  readonly buffers: readonly string[];
  readonly params: Uint32Array;
  readonly workgroups: readonly [number, number, number];
}

/** WebGPU's per-dimension workgroup-count limit (maxComputeWorkgroupsPerDimension default). */
export const MAX_WORKGROUPS_PER_DIM = 65535;

/**
 * A 2-D grid covering `groups` workgroups; shaders recover the flat index as
 * wid.y * num_workgroups.x + wid.x and ignore the overshoot.
 */
export function flatGrid(groups: number): [number, number, number] {
  const g = Math.max(1, groups);
  if (g <= MAX_WORKGROUPS_PER_DIM) return [g, 1, 1];
  const y = Math.ceil(g / MAX_WORKGROUPS_PER_DIM);
  return [Math.ceil(g / y), y, 1];
}

/**
 * How kernels share data within a workgroup. 'workgroup': tiles staged in workgroup memory with
 * barriers (what GPUs want). 'registers': no workgroup memory and no barriers, each thread reading
 * what it needs from the buffers (what CPU emulations such as SwiftShader want: they run a barrier
 * as a coroutine switch per invocation, which made a workgroup-tiled Swin-T several times slower).
 */
export type KernelTiling = 'workgroup' | 'registers';

/** What kernels are specialised for on one compile: storage float type and tiling flavour. */
export interface KernelConfig {
  readonly float: FloatType;
  readonly tiling: KernelTiling;
}
