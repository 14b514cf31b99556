// tfjs on tfjs-backend-cpu against the conformance suite (writes reports/conformance/tfjs.json).
import { describeBackend } from '@swin/conformance/vitest';
import { createTfjsNodeBackend } from '../src/node/index.js';

describeBackend('tfjs', () => createTfjsNodeBackend('cpu'));
