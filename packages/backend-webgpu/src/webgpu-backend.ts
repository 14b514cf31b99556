import {
  BackendError,
  toFloat16,
  toFloat32,
  toInt32,
  type Backend,
  type BackendCapabilities,
  type CompileOptions,
  type DType,
  type Graph,
  type TensorData,
} from '@swin/core';
import { acquireDevice, isCpuAdapter, type AcquiredDevice } from './device/acquire-device.js';
import type { KernelConfig, KernelTiling } from './kernels/kernel-types.js';
import { buildProgram } from './program/build-program.js';
import { NATIVE_OPS } from './program/native-ops.js';
import { planProgramBuffers } from './program/plan-program-buffers.js';
import { bindProgram } from './runtime/bound-program.js';
import { BufferTracker } from './runtime/buffer-tracker.js';
import { DeviceContext } from './runtime/device-context.js';
import { createWebGpuExecutable, type WebGpuExecutable } from './runtime/webgpu-executable.js';

/** Options of createWebGpuBackend. */
export interface WebGpuBackendOptions {
  /** Run on this device (it is not destroyed by dispose). */
  readonly device?: GPUDevice;
  /** Where to request an adapter: navigator.gpu in browsers (the default), Dawn's GPU in Node. */
  readonly gpu?: GPU;
  readonly adapterOptions?: GPURequestAdapterOptions;
  /**
   * Opt in to float16 storage and math when the adapter has shader-f16: compile then defaults to
   * float16 (CompileOptions.dtype still wins). Without shader-f16, float16 compiles throw.
   */
  readonly float16?: boolean;
  /**
   * Kernel flavour: 'workgroup' (tiles in workgroup memory, for GPUs) or 'registers' (no barriers,
   * for CPU emulations). Default 'auto': 'registers' on SwiftShader, llvmpipe and other CPU
   * adapters, 'workgroup' elsewhere.
   */
  readonly tiling?: KernelTiling | 'auto';
}

/** The WebGPU backend, with what it learned about its device. */
export interface WebGpuBackend extends Backend {
  readonly device: GPUDevice;
  /** True when float16 compiles can run (the device has shader-f16). */
  readonly float16Available: boolean;
  /** How per-kernel profiles are measured on this device. */
  readonly timestampsAvailable: boolean;
  readonly adapterInfo: AcquiredDevice['adapterInfo'];
  /** The kernel flavour in use (see WebGpuBackendOptions.tiling). */
  readonly tiling: KernelTiling;
  /** Buffers alive across all executables: 0 after every executable (or the backend) is disposed. */
  readonly liveBufferCount: number;
  /** Distinct compute pipelines compiled so far. */
  readonly pipelineCount: number;
  compile(graph: Graph, options?: CompileOptions): Promise<WebGpuExecutable>;
}

const SUPPORTED_DTYPES: readonly DType[] = ['float32', 'int32'];

/** Creates the WebGPU backend: in a browser from navigator.gpu, in Node from @swin/backend-webgpu/node's Dawn GPU. */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const acquired = await acquireDevice(options);
  const device = acquired.device;
  const ctx = new DeviceContext(device, device.features.has('shader-f16'), device.features.has('timestamp-query'));
  const tracker = new BufferTracker(device);
  const tiling = options.tiling && options.tiling !== 'auto' ? options.tiling : isCpuAdapter(acquired.adapterInfo) ? 'registers' : 'workgroup';
  const executables = new Set<WebGpuExecutable>();
  let disposed = false;
  const capabilities: BackendCapabilities = { ops: NATIVE_OPS, dtypes: new Set(SUPPORTED_DTYPES) };

  function upload(name: string, t: TensorData, float: 'f32' | 'f16'): GPUBuffer {
    const data = t.dtype === 'int32' || t.dtype === 'int64' ? toInt32(t).data : float === 'f16' ? toFloat16(t).data : toFloat32(t).data;
    const buffer = tracker.create(`const:${name}`, data.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, true);
    const words = Math.ceil(data.byteLength / 4) * 4;
    const bytes = words === data.byteLength ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : padded(data, words);
    device.queue.writeBuffer(buffer, 0, bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return buffer;
  }

  return {
    name: 'webgpu',
    capabilities,
    device,
    float16Available: ctx.float16Available,
    timestampsAvailable: ctx.timestampsAvailable,
    adapterInfo: acquired.adapterInfo,
    tiling,
    get liveBufferCount() {
      return tracker.liveCount;
    },
    get pipelineCount() {
      return ctx.pipelines.size;
    },
    async compile(graph: Graph, compileOptions?: CompileOptions): Promise<WebGpuExecutable> {
      if (disposed) throw new BackendError('DISPOSED', "backend 'webgpu' was disposed");
      ctx.assertAlive();
      const dtype = compileOptions?.dtype ?? (options.float16 ? 'float16' : 'float32');
      if (dtype === 'float16' && !ctx.float16Available) {
        throw new BackendError(
          'UNSUPPORTED_DTYPE',
          `backend 'webgpu': float16 needs the adapter feature 'shader-f16', which this adapter does not have${options.float16 ? '' : ' (or was not requested: create the backend with { float16: true })'}`,
        );
      }
      const config: KernelConfig = { float: ctx.floatType(dtype), tiling };
      const float = config.float;
      const program = buildProgram(graph);
      const plan = planProgramBuffers(program, float);
      const constants = new Map<string, GPUBuffer>();
      try {
        await ctx.guarded('uploading weights', () => {
          let done = 0;
          for (const [name, t] of program.constants) {
            constants.set(name, upload(name, t, float));
            compileOptions?.onProgress?.(++done, program.constants.size, 'upload weights');
          }
        });
        // Binding at the nominal batch compiles every pipeline now rather than on the first run.
        const initial = await bindProgram(ctx, tracker, program, plan, constants, program.nominalBatch, config);
        const exe = createWebGpuExecutable(ctx, tracker, program, plan, constants, config, initial, () => executables.delete(exe));
        executables.add(exe);
        return exe;
      } catch (e) {
        for (const b of constants.values()) tracker.destroy(b);
        throw e;
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const exe of [...executables]) exe.dispose();
      tracker.destroyAll();
      if (acquired.owned) device.destroy();
    },
  };
}

function padded(data: ArrayBufferView, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return out;
}
