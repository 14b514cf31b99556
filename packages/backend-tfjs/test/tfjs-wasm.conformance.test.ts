// tfjs on tfjs-backend-wasm (SIMD) against the conformance suite (writes reports/conformance/tfjs-wasm.json).
import { describeBackend } from '@swin/conformance/vitest';
import { createTfjsNodeBackend } from '../src/node/index.js';

describeBackend('tfjs-wasm', () => createTfjsNodeBackend('wasm'));
