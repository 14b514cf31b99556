// A program bound to buffers for one batch size: liveness slots sized for that batch, one input
// buffer per graph input, one uniform buffer holding every dispatch's parameters, bind groups,
// and a staging buffer for the outputs. Built once per batch size and reused by every run.

import { BackendError, ShapeError, formatShape, type LivenessPlan } from '@swin/core';
import type { DispatchSpec, ElementType, KernelConfig } from '../kernels/kernel-types.js';
import { DUMMY_BUFFER } from '../kernels/matmul.js';
import type { Program, StepEnv } from '../program/program.js';
import type { BufferTracker } from './buffer-tracker.js';
import type { DeviceContext } from './device-context.js';

/** Bytes per element of a buffer. */
export function elementBytes(e: ElementType): number {
  return e === 'f16' ? 2 : 4;
}

/** One dispatch ready to encode. */
export interface BoundDispatch {
  readonly label: string;
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  readonly workgroups: readonly [number, number, number];
}

/** Where an output is read back from. */
export interface BoundOutput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly element: ElementType;
  readonly source: GPUBuffer;
  readonly stagingOffset: number;
  readonly bytes: number;
}

/** Everything one batch size needs to run. */
export interface BoundProgram {
  readonly batch: number;
  readonly inputs: ReadonlyMap<string, GPUBuffer>;
  /** Dispatches grouped by step (a profile times each group). */
  readonly steps: readonly { readonly label: string; readonly dispatches: readonly BoundDispatch[] }[];
  readonly outputs: readonly BoundOutput[];
  readonly staging: GPUBuffer;
  /** Every buffer bound here (not the constants): destroyed when the binding is dropped. */
  readonly owned: readonly GPUBuffer[];
}

/** Shapes and element types of a program's values at one batch size. */
export function stepEnv(program: Program, batch: number, config: KernelConfig): StepEnv {
  const cache = new Map<string, readonly number[]>();
  const float = config.float;
  return {
    float,
    tiling: config.tiling,
    element(name) {
      return program.values.get(name)?.dtype === 'int32' ? 'i32' : float;
    },
    shape(name) {
      const hit = cache.get(name);
      if (hit) return hit;
      const info = program.values.get(name);
      if (!info) throw new Error(`webgpu: unknown value '${name}'`);
      let shape = info.shape;
      const constant = program.constants.has(name) || program.graph.constants.has(name);
      const d0 = shape[0];
      if (!constant && batch !== program.nominalBatch && d0 !== undefined) {
        const scaled = (d0 * batch) / program.nominalBatch;
        if (!Number.isInteger(scaled)) {
          throw new ShapeError(`value '${name}' ${formatShape(shape)} at batch ${program.nominalBatch} does not scale to batch ${batch}`);
        }
        shape = [scaled, ...shape.slice(1)];
      }
      cache.set(name, shape);
      return shape;
    },
  };
}

/** Allocates and binds a program for `batch`. */
export async function bindProgram(
  ctx: DeviceContext,
  tracker: BufferTracker,
  program: Program,
  plan: LivenessPlan,
  constants: ReadonlyMap<string, GPUBuffer>,
  batch: number,
  config: KernelConfig,
): Promise<BoundProgram> {
  const device = ctx.device;
  const env = stepEnv(program, batch, config);
  const storageUsage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const owned: GPUBuffer[] = [];
  const make = (label: string, size: number, usage: GPUBufferUsageFlags, storage: boolean) => {
    const b = tracker.create(label, size, usage, storage);
    owned.push(b);
    return b;
  };
  try {
    return await ctx.guarded(`binding the program for batch ${batch}`, async () => {
      const scale = batch / program.nominalBatch;
      // The plan sized slots at the nominal batch with the storage element size; activations are linear in batch.
      const slots = plan.slotBytes.map((bytes, i) => make(`slot${i}`, Math.ceil(bytes * scale), storageUsage, true));
      const inputs = new Map<string, GPUBuffer>();
      for (const info of program.graph.inputs) {
        const bytes = env.shape(info.name).reduce((a, b) => a * b, 1) * elementBytes(env.element(info.name));
        inputs.set(info.name, make(`input:${info.name}`, bytes, storageUsage, true));
      }
      let dummy: GPUBuffer | undefined;
      const bufferOf = (name: string): GPUBuffer => {
        if (name === DUMMY_BUFFER) return (dummy ??= make('dummy', 16, storageUsage, true));
        const c = constants.get(name) ?? inputs.get(name);
        if (c) return c;
        const slot = plan.slotOf.get(name);
        const buffer = slot === undefined ? undefined : slots[slot];
        if (!buffer) throw new BackendError('BACKEND_FAILURE', `webgpu: value '${name}' has no buffer`);
        return buffer;
      };

      const laid: { label: string; specs: DispatchSpec[] }[] = program.steps.map((s) => ({ label: s.label, specs: s.dispatches(env) }));
      const align = Math.max(256, device.limits.minUniformBufferOffsetAlignment);
      let uniformBytes = 0;
      for (const l of laid) for (const d of l.specs) uniformBytes += Math.ceil(d.params.byteLength / align) * align;
      const uniforms = make('uniforms', uniformBytes, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, false);
      // Each step's dispatches paired with their pipelines (compiled concurrently).
      const compiled = await Promise.all(laid.map(async (l) => ({ label: l.label, specs: await Promise.all(l.specs.map(async (d) => ({ d, pipeline: await ctx.pipelines.get(d.shader) }))) })));
      let offset = 0;
      const staged = new Uint8Array(uniformBytes);
      const steps = compiled.map((l) => ({
        label: l.label,
        dispatches: l.specs.map(({ d, pipeline }) => {
          staged.set(new Uint8Array(d.params.buffer, d.params.byteOffset, d.params.byteLength), offset);
          const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniforms, offset, size: d.params.byteLength } }];
          d.buffers.forEach((name, i) => entries.push({ binding: i + 1, resource: { buffer: bufferOf(name) } }));
          offset += Math.ceil(d.params.byteLength / align) * align;
          const bindGroup = device.createBindGroup({ label: `${l.label}:${d.shader.key}`, layout: pipeline.getBindGroupLayout(0), entries });
          return { label: l.label, pipeline, bindGroup, workgroups: d.workgroups };
        }),
      }));
      device.queue.writeBuffer(uniforms, 0, staged);

      let stagingBytes = 0;
      const outputs = program.outputs.map((o) => {
        const shape = env.shape(o.name);
        const element = env.element(o.source);
        const bytes = Math.ceil((shape.reduce((a, b) => a * b, 1) * elementBytes(element)) / 4) * 4;
        const out = { name: o.name, shape, element, source: bufferOf(o.source), stagingOffset: stagingBytes, bytes };
        stagingBytes += Math.ceil(bytes / 16) * 16;
        return out;
      });
      const staging = make('staging', stagingBytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, false);
      return { batch, inputs, steps, outputs, staging, owned };
    });
  } catch (e) {
    for (const b of owned) tracker.destroy(b);
    throw e;
  }
}
