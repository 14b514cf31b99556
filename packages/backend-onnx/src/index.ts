// @swin/backend-onnx: the core graph as one standard ONNX model, and a Backend that runs it on
// any onnxruntime JavaScript package. Browser-safe: the Node-only parts live in './node'.

export { exportOnnx, buildOnnxModel, ONNX_OPSET, ONNX_IR_VERSION, ONNX_NATIVE_OPS, BATCH_DIM, type ExportOnnxOptions, type OnnxExportDtype } from './export-onnx.js';
export { encodeOnnxModel } from './onnx/encode-onnx-model.js';
export { decodeOnnxModel } from './onnx/decode-onnx-model.js';
export { ONNX_DTYPE, type OnnxModel, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxValueInfo, type OnnxAttribute } from './onnx/onnx-model.js';
export { createOnnxRuntimeBackend, onnxSessionOptions, type OnnxBackendOptions, type OnnxExecutable } from './runtime/onnx-runtime-backend.js';
export type { OrtModule } from './runtime/ort-module.js';
