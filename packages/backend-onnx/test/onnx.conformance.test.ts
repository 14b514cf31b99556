// The onnx backend (onnxruntime-node, CPU) against the conformance suite (writes reports/conformance/onnx.json).
import { describeBackend } from '@swin/conformance/vitest';
import { createOnnxBackend } from '../src/node.js';

describeBackend('onnx', () => createOnnxBackend());
