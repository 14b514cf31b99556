/** The backends the page offers (the ids are @swin/pipeline's browser backend names), fastest first, with what the menu says. */
export const BACKEND_LABELS: readonly { readonly id: string; readonly label: string }[] = [
  { id: 'webgpu', label: 'WebGPU (our WGSL kernels)' },
  { id: 'onnx-webgpu', label: 'ONNX Runtime Web, WebGPU' },
  { id: 'onnx-wasm', label: 'ONNX Runtime Web, wasm' },
  { id: 'tfjs-webgl', label: 'TensorFlow.js, WebGL' },
  { id: 'tfjs-wasm', label: 'TensorFlow.js, wasm' },
  { id: 'tfjs-cpu', label: 'TensorFlow.js, plain JS' },
  { id: 'reference', label: 'Reference (@swin/core, plain TypeScript)' },
];

/** The menu label of a backend id. */
export function backendLabel(id: string): string {
  return BACKEND_LABELS.find((b) => b.id === id)?.label ?? id;
}
