// The skeleton of every one-thread-per-element kernel (elementwise, copies, gathers, window
// layouts, reductions, conv2d): uniforms, storage bindings (inputs in order, output last), a 1-D
// workgroup over a 2-D grid flattened back to the element index `gid`, and the bounds check
// against the uniform `n`. A kernel supplies only what differs: its uniforms, buffers and body.

import { flatGrid, type DispatchSpec, type FloatType } from './kernel-types.js';
import { storage, wgslPrelude } from './wgsl-prelude.js';

/** A buffer a kernel binds: its WGSL name, WGSL element type, and the value bound to it. */
export interface KernelBuffer {
  readonly name: string;
  readonly elem: string;
  readonly value: string;
}

/** Everything that differs between flat kernels. */
export interface FlatKernelSpec {
  /** Names everything the shader source depends on. */
  readonly key: string;
  readonly float: FloatType;
  /** The kernel's uniform layout (it must declare `n: 'u32'`, the element count) and its packed values. */
  readonly uniforms: { readonly wgsl: string };
  readonly params: Uint32Array;
  /** Elements, one thread each: the `n` packed in params. */
  readonly count: number;
  readonly inputs: readonly KernelBuffer[];
  readonly output: KernelBuffer;
  readonly workgroupSize: number;
  /** WGSL placed before the entry point (helper functions, constants). */
  readonly helpers?: string;
  /** The entry point's body, run for each `gid` < P.n. */
  readonly body: string;
}

/** One dispatch of a flat kernel. */
export function flatKernelDispatch(spec: FlatKernelSpec): DispatchSpec {
  const wg = spec.workgroupSize;
  const bindings = [...spec.inputs.map((b, i) => storage(i + 1, b.name, b.elem, 'read')), storage(spec.inputs.length + 1, spec.output.name, spec.output.elem, 'read_write')];
  return {
    shader: {
      key: spec.key,
      code: () => `${wgslPrelude(spec.float, spec.uniforms)}
${bindings.join('\n')}
${spec.helpers ?? ''}
@compute @workgroup_size(${wg})
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let gid = (wid.y * nwg.x + wid.x) * ${wg}u + lid;
  if (gid >= P.n) { return; }
${spec.body}
}`,
    },
    buffers: [...spec.inputs.map((b) => b.value), spec.output.value],
    params: spec.params,
    workgroups: flatGrid(Math.ceil(spec.count / wg)),
  };
}
