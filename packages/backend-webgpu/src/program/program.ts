import type { Graph, TensorData, ValueInfo } from '@swin/core';
import type { DispatchSpec, ElementType, FloatType, KernelTiling } from '../kernels/kernel-types.js';

/** What a step sees when it lays out its dispatches for one batch size. */
export interface StepEnv {
  /** Shape of a value at this run's batch (dim 0 of activations scaled, constants as they are). */
  shape(name: string): readonly number[];
  /** WGSL element type of a value's buffer. */
  element(name: string): ElementType;
  readonly float: FloatType;
  /** Kernel flavour for the adapter: workgroup-memory tiling on GPUs, barrier-free on CPU emulations. */
  readonly tiling: KernelTiling;
}

/**
 * One unit of the program: reads `inputs`, writes `output`, through one or more dispatches.
 * A step is a graph node, or a fused chain of them (matmul + bias + GELU + residual, the
 * attention block with its partition and reverse), or part of one (attention's qkv, core, proj).
 */
export interface ProgramStep {
  /** Kernel family, for profiles: 'matmul', 'attention', 'layerNorm'... */
  readonly label: string;
  readonly inputs: readonly string[];
  readonly output: string;
  dispatches(env: StepEnv): DispatchSpec[];
}

/** A graph output and the buffer holding it (reshapes are aliases, so they may differ). */
export interface ProgramOutput {
  readonly name: string;
  readonly source: string;
}

/** A graph compiled to WebGPU steps, before any device resource exists. */
export interface Program {
  /** The prepared graph (lowered, folded) the program was built from; inputs are validated against it. */
  readonly graph: Graph;
  readonly steps: readonly ProgramStep[];
  /** Nominal types of every value a step reads or writes (inputs, constants, step outputs). */
  readonly values: ReadonlyMap<string, ValueInfo>;
  /** Constants the steps read, possibly re-laid-out (pre-transposed weights). */
  readonly constants: ReadonlyMap<string, TensorData>;
  readonly outputs: readonly ProgramOutput[];
  /** Dim 0 of the graph inputs at which `values` shapes hold. */
  readonly nominalBatch: number;
}
