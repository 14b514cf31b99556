/// <reference types="@webgpu/types" preserve="true" />
// @swin/backend-webgpu: Swin on WebGPU with our own WGSL kernels. This entry has no Node
// dependencies; in Node, import '@swin/backend-webgpu/node' for a Dawn-backed GPU.

export { createWebGpuBackend, type WebGpuBackend, type WebGpuBackendOptions } from './webgpu-backend.js';
export type { WebGpuExecutable, RunProfile, StepTiming } from './runtime/webgpu-executable.js';
export { WebGpuAllocationError, WebGpuDeviceLostError, WebGpuUnavailableError, WebGpuValidationError } from './errors.js';
export { NATIVE_OPS } from './program/native-ops.js';
export { buildProgram } from './program/build-program.js';
export type { Program, ProgramStep } from './program/program.js';
