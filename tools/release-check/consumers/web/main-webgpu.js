import { createWebGpuBackend } from '@swin/backend-webgpu';
import { classifyPage } from './classify-page.js';

classifyPage(() => createWebGpuBackend());
