import { WebGpuAllocationError } from '../errors.js';

/**
 * Creates GPU buffers and remembers every one that is alive, so an executable (and the backend)
 * can destroy exactly what it made, and tests can count what is left.
 */
export class BufferTracker {
  private readonly live = new Set<GPUBuffer>();
  private created = 0;

  constructor(private readonly device: GPUDevice) {}

  /** Allocates a buffer; sizes past the device limits fail here with a typed error, not a validation message. */
  create(label: string, size: number, usage: GPUBufferUsageFlags, storage: boolean): GPUBuffer {
    const bytes = Math.max(16, Math.ceil(size / 16) * 16);
    const limits = this.device.limits;
    if (bytes > limits.maxBufferSize || (storage && bytes > limits.maxStorageBufferBindingSize)) {
      const limit = storage ? Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize) : limits.maxBufferSize;
      throw new WebGpuAllocationError(bytes, `buffer '${label}' exceeds the device limit of ${limit} bytes (use a smaller batch or input size)`);
    }
    const buffer = this.device.createBuffer({ label, size: bytes, usage });
    this.live.add(buffer);
    this.created++;
    return buffer;
  }

  /** Destroys one buffer this tracker made. */
  destroy(buffer: GPUBuffer): void {
    if (this.live.delete(buffer)) buffer.destroy();
  }

  /** Destroys every live buffer. */
  destroyAll(): void {
    for (const b of this.live) b.destroy();
    this.live.clear();
  }

  /** Buffers alive now. */
  get liveCount(): number {
    return this.live.size;
  }

  /** Buffers created over the tracker's life. */
  get createdCount(): number {
    return this.created;
  }
}
