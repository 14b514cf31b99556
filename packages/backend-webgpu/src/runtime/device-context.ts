import { WebGpuAllocationError, WebGpuDeviceLostError, WebGpuValidationError } from '../errors.js';
import type { FloatType } from '../kernels/kernel-types.js';
import { PipelineCache } from './pipeline-cache.js';

/** A device plus what every executable on it shares: the pipeline cache and the loss state. */
export class DeviceContext {
  readonly pipelines: PipelineCache;
  private lost: GPUDeviceLostInfo | undefined;

  constructor(
    readonly device: GPUDevice,
    /** True when the device was created with shader-f16. */
    readonly float16Available: boolean,
    /** True when the device was created with timestamp-query. */
    readonly timestampsAvailable: boolean,
  ) {
    this.pipelines = new PipelineCache(device);
    void device.lost.then((info) => {
      this.lost = info;
    });
  }

  /** Throws the typed device-lost error once the device is gone. */
  assertAlive(): void {
    if (this.lost) throw new WebGpuDeviceLostError(this.lost.reason, this.lost.message);
  }

  /** True after the device was lost or destroyed. */
  get isLost(): boolean {
    return this.lost !== undefined;
  }

  /** WGSL float type for a compute dtype. */
  floatType(dtype: 'float32' | 'float16'): FloatType {
    return dtype === 'float16' ? 'f16' : 'f32';
  }

  /**
   * Runs `fn` inside out-of-memory and validation error scopes and turns what they catch into
   * typed errors (allocation failure, or a kernel bug with the device's message).
   */
  async guarded<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
    this.assertAlive();
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    let result: T;
    try {
      result = await fn();
    } finally {
      const validation = await this.device.popErrorScope();
      const oom = await this.device.popErrorScope();
      this.assertAlive();
      if (oom) throw new WebGpuAllocationError(0, `${what}: ${oom.message}`);
      if (validation) throw new WebGpuValidationError(`${what}: ${validation.message}`);
    }
    return result;
  }
}
