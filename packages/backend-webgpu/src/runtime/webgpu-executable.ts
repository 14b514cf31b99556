// Running a compiled program: inputs written with queue.writeBuffer, every dispatch of the run
// recorded in one compute pass of one command encoder, outputs copied to one staging buffer and
// mapped once. Runs are serialized per executable since they share the bound buffers.

import {
  BackendError,
  ShapeError,
  SwinError,
  dimAt,
  float16BitsToFloat32,
  tensor,
  toFloat16,
  toFloat32,
  toInt32,
  validateInputs,
  type Executable,
  type LivenessPlan,
  type TensorData,
} from '@swin/core';
import type { KernelConfig } from '../kernels/kernel-types.js';
import type { Program } from '../program/program.js';
import { bindProgram, type BoundProgram } from './bound-program.js';
import type { BufferTracker } from './buffer-tracker.js';
import type { DeviceContext } from './device-context.js';

/** Time spent in one step (a kernel family label) during a profiled run. */
export interface StepTiming {
  readonly label: string;
  readonly milliseconds: number;
}

/** How a profile was measured. */
export interface RunProfile {
  /** 'timestamp-query': GPU timestamps around each step; 'submit-wait': wall clock of a submit per step. */
  readonly method: 'timestamp-query' | 'submit-wait';
  readonly steps: readonly StepTiming[];
}

/** A compiled graph on WebGPU. */
export interface WebGpuExecutable extends Executable {
  /** The program (fused steps over the prepared graph), for inspection. */
  readonly program: Program;
  /** Core's liveness plan over the program's steps: the buffer slots. */
  readonly plan: LivenessPlan;
  /** Buffers this executable holds right now (constants plus bound slots). */
  readonly liveBuffers: number;
  /** Runs once with a timing per step; slower than run (a pass per step), for benchmarks. */
  profile(inputs: Record<string, TensorData>): Promise<RunProfile>;
}

/** Keeps a few batch sizes bound; older bindings are released. */
const MAX_BOUND_BATCHES = 2;

/** Builds the executable for a program whose constants are already uploaded. */
export function createWebGpuExecutable(
  ctx: DeviceContext,
  tracker: BufferTracker,
  program: Program,
  plan: LivenessPlan,
  constants: ReadonlyMap<string, GPUBuffer>,
  config: KernelConfig,
  initial: BoundProgram,
  onDispose: () => void,
): WebGpuExecutable {
  const bound = new Map<number, BoundProgram>([[initial.batch, initial]]);
  let alive = true;
  let queue: Promise<unknown> = Promise.resolve();

  const device = ctx.device;
  const checkUsable = () => {
    if (!alive) throw new BackendError('DISPOSED', `webgpu executable was disposed`);
    ctx.assertAlive();
  };

  /** A graph input's tensor (validateInputs has checked it is there: a typed error if not, never a TypeError). */
  function inputTensor(inputs: Record<string, TensorData>, name: string): TensorData {
    const t = inputs[name];
    if (!t) throw new ShapeError(`webgpu: missing input '${name}'`);
    return t;
  }

  /** Dim 0 of the first input when the batch is dynamic; the nominal batch otherwise (and for scalars). */
  function batchOf(inputs: Record<string, TensorData>): number {
    const first = program.graph.inputs[0];
    if (!first || !program.graph.dynamicBatch || first.shape.length === 0) return program.nominalBatch;
    return dimAt(inputTensor(inputs, first.name).shape, 0, `input '${first.name}'`);
  }

  async function bindingFor(batch: number): Promise<BoundProgram> {
    let b = bound.get(batch);
    if (b) return b;
    b = await bindProgram(ctx, tracker, program, plan, constants, batch, config);
    bound.set(batch, b);
    while (bound.size > MAX_BOUND_BATCHES) {
      const [oldest, old] = bound.entries().next().value as [number, BoundProgram];
      bound.delete(oldest);
      for (const buf of old.owned) tracker.destroy(buf);
    }
    return b;
  }

  function writeInputs(b: BoundProgram, inputs: Record<string, TensorData>): void {
    for (const info of program.graph.inputs) {
      const t = inputTensor(inputs, info.name);
      const data = info.dtype === 'int32' ? toInt32(t).data : config.float === 'f16' ? toFloat16(t).data : toFloat32(t).data;
      // writeBuffer wants whole 4-byte words; an odd count of halves gets one padding half.
      const bytes = data.byteLength % 4 === 0 ? data : padToWord(data as Uint16Array);
      device.queue.writeBuffer(b.inputs.get(info.name)!, 0, bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
  }

  async function readOutputs(b: BoundProgram): Promise<Record<string, TensorData>> {
    try {
      await b.staging.mapAsync(GPUMapMode.READ);
    } catch (cause) {
      ctx.assertAlive();
      throw new BackendError('BACKEND_FAILURE', `webgpu: reading results back failed: ${String(cause)}`, { cause });
    }
    try {
      const mapped = b.staging.getMappedRange();
      const result: Record<string, TensorData> = {};
      for (const o of b.outputs) {
        const n = o.shape.reduce((x, y) => x * y, 1);
        if (o.element === 'i32') {
          result[o.name] = tensor('int32', o.shape, new Int32Array(mapped.slice(o.stagingOffset, o.stagingOffset + n * 4)));
        } else if (o.element === 'f16') {
          const bits = new Uint16Array(mapped, o.stagingOffset, n);
          const out = new Float32Array(n);
          // bits views exactly n halves.
          for (let i = 0; i < n; i++) out[i] = float16BitsToFloat32(bits[i]!);
          result[o.name] = tensor('float32', o.shape, out);
        } else {
          result[o.name] = tensor('float32', o.shape, new Float32Array(mapped.slice(o.stagingOffset, o.stagingOffset + n * 4)));
        }
      }
      return result;
    } finally {
      b.staging.unmap();
    }
  }

  function encodeCopies(encoder: GPUCommandEncoder, b: BoundProgram): void {
    for (const o of b.outputs) if (o.bytes > 0) encoder.copyBufferToBuffer(o.source, 0, b.staging, o.stagingOffset, o.bytes);
  }

  async function runOnce(inputs: Record<string, TensorData>): Promise<Record<string, TensorData>> {
    checkUsable();
    validateInputs(program.graph, inputs);
    const batch = batchOf(inputs);
    const b = await bindingFor(batch);
    return ctx.guarded('run', async () => {
      writeInputs(b, inputs);
      const encoder = device.createCommandEncoder({ label: 'swin run' });
      const pass = encoder.beginComputePass({ label: 'swin' });
      for (const s of b.steps) {
        for (const d of s.dispatches) {
          pass.setPipeline(d.pipeline);
          pass.setBindGroup(0, d.bindGroup);
          pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
        }
      }
      pass.end();
      encodeCopies(encoder, b);
      device.queue.submit([encoder.finish()]);
      return readOutputs(b);
    });
  }

  async function profileOnce(inputs: Record<string, TensorData>): Promise<RunProfile> {
    checkUsable();
    validateInputs(program.graph, inputs);
    const batch = batchOf(inputs);
    const b = await bindingFor(batch);
    writeInputs(b, inputs);
    const steps = b.steps.filter((s) => s.dispatches.length > 0);
    if (ctx.timestampsAvailable && steps.length > 0) {
      const count = steps.length * 2;
      const querySet = device.createQuerySet({ type: 'timestamp', count });
      const resolve = tracker.create('timestamps', count * 8, GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC, false);
      const read = tracker.create('timestamps-read', count * 8, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, false);
      try {
        const encoder = device.createCommandEncoder();
        steps.forEach((s, i) => {
          const pass = encoder.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
          for (const d of s.dispatches) {
            pass.setPipeline(d.pipeline);
            pass.setBindGroup(0, d.bindGroup);
            pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
          }
          pass.end();
        });
        encoder.resolveQuerySet(querySet, 0, count, resolve, 0);
        encoder.copyBufferToBuffer(resolve, 0, read, 0, count * 8);
        device.queue.submit([encoder.finish()]);
        await read.mapAsync(GPUMapMode.READ);
        const ticks = new BigInt64Array(read.getMappedRange().slice(0));
        read.unmap();
        // Two timestamps per step were resolved: 2i + 1 < count.
        return { method: 'timestamp-query', steps: steps.map((s, i) => ({ label: s.label, milliseconds: Number(ticks[2 * i + 1]! - ticks[2 * i]!) / 1e6 })) };
      } finally {
        querySet.destroy();
        tracker.destroy(resolve);
        tracker.destroy(read);
      }
    }
    const timings: StepTiming[] = [];
    for (const s of steps) {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      for (const d of s.dispatches) {
        pass.setPipeline(d.pipeline);
        pass.setBindGroup(0, d.bindGroup);
        pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
      }
      pass.end();
      const t0 = performance.now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      timings.push({ label: s.label, milliseconds: performance.now() - t0 });
    }
    return { method: 'submit-wait', steps: timings };
  }

  /** Serializes calls: they share bound buffers and the staging map. */
  function serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next.catch((e: unknown) => {
      if (e instanceof SwinError) throw e;
      if (ctx.isLost) ctx.assertAlive();
      throw new BackendError('BACKEND_FAILURE', `webgpu: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    });
  }

  return {
    program,
    plan,
    get liveBuffers() {
      let n = constants.size;
      for (const b of bound.values()) n += b.owned.length;
      return n;
    },
    run: (inputs) => serialized(() => runOnce(inputs)),
    profile: (inputs) => serialized(() => profileOnce(inputs)),
    dispose() {
      if (!alive) return;
      alive = false;
      for (const b of bound.values()) for (const buf of b.owned) tracker.destroy(buf);
      bound.clear();
      for (const buf of constants.values()) tracker.destroy(buf);
      onDispose();
    },
  };
}

function padToWord(data: Uint16Array): Uint16Array {
  const out = new Uint16Array(data.length + 1);
  out.set(data);
  return out;
}

