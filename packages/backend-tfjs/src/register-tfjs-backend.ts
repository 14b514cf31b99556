import { registerBackend } from '@swin/core';
import { createTfjsBackend, type TfjsBackendOptions } from './tfjs-backend.js';

/**
 * Registers a tfjs backend in core's registry (default name 'tfjs', on whatever tfjs backend is
 * active when it is created): in a browser, after the app registered webgl / webgpu / wasm.
 */
export function registerTfjsBackend(name = 'tfjs', options: TfjsBackendOptions = {}): void {
  registerBackend(name, () => createTfjsBackend({ name, ...options }));
}
