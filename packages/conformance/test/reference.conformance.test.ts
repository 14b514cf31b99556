// The reference backend against the suite: op cases are trivially exact (it is the oracle), so the
// meaningful part is the model level: every PyTorch fixture within 1e-4 of its float64 outputs.
import { createReferenceBackend } from '@swin/core';
import { describeBackend } from '../src/vitest/describe-backend.js';

describeBackend('reference', createReferenceBackend);
