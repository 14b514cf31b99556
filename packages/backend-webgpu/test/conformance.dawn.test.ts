// @swin/conformance on Dawn: every op case against the reference executor, every fixture model
// (ours and the official code's), the dynamic-batch case and Swin-T 224. Writes
// reports/conformance/webgpu.json at the repository root.
import { describeBackend } from '@swin/conformance/vitest';
import { createNodeWebGpuBackend } from '../src/node/index.js';

describeBackend('webgpu', () => createNodeWebGpuBackend(), { timeout: 600_000 });
