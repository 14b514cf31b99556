import { BackendError } from '@swin/core';

/** No WebGPU adapter or device could be obtained; the message says what is missing and how to get it. */
export class WebGpuUnavailableError extends BackendError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACKEND_FAILURE', message, options);
  }
}

/** The GPU device was lost (driver reset, destroy(), tab backgrounded...); the backend must be recreated. */
export class WebGpuDeviceLostError extends BackendError {
  /** The reason WebGPU reported: 'destroyed' or 'unknown'. */
  readonly reason: string;
  constructor(reason: string, message: string) {
    super('BACKEND_FAILURE', `WebGPU device lost (${reason}): ${message || 'no message'}`);
    this.reason = reason;
  }
}

/** A buffer could not be allocated: out of GPU memory, or larger than the device's limits. */
export class WebGpuAllocationError extends BackendError {
  /** Bytes that were requested. */
  readonly bytes: number;
  constructor(bytes: number, message: string) {
    super('BACKEND_FAILURE', `WebGPU allocation of ${bytes} bytes failed: ${message}`);
    this.bytes = bytes;
  }
}

/** WebGPU rejected a shader, pipeline or command: a bug in a kernel, reported with the device's message. */
export class WebGpuValidationError extends BackendError {
  constructor(message: string) {
    super('BACKEND_FAILURE', `WebGPU validation failed: ${message}`);
  }
}
