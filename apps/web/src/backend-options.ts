import { createReferenceBackend, type Backend } from '@swin/core';

/** A compute backend the page can offer. Packages are imported on first use, so the page loads fast and one broken backend cannot break the others. */
export interface BackendOption {
  readonly id: string;
  readonly label: string;
  /** Resolves to null when usable here, else the reason it is not (shown in the UI). */
  availability(): Promise<string | null>;
  create(): Promise<Backend>;
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

function navigatorGpu(): GpuLike | undefined {
  return (globalThis.navigator as unknown as { gpu?: GpuLike } | undefined)?.gpu;
}

let adapterCheck: Promise<string | null> | undefined;
/** WebGPU needs navigator.gpu and an adapter (headless Chromium gets one from SwiftShader with --enable-unsafe-webgpu). */
function webGpuAvailability(): Promise<string | null> {
  adapterCheck ??= (async () => {
    const gpu = navigatorGpu();
    if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
    try {
      return (await gpu.requestAdapter()) ? null : 'WebGPU is present but gave no adapter';
    } catch (e) {
      return `WebGPU adapter request failed: ${(e as Error).message}`;
    }
  })();
  return adapterCheck;
}

/** Tries a dynamic import once; a failure becomes the option's unavailability reason. */
function importable<T>(load: () => Promise<T>): () => Promise<string | null> {
  let check: Promise<string | null> | undefined;
  return () =>
    (check ??= load().then(
      () => null,
      (e: unknown) => `could not load its package: ${(e as Error).message}`,
    ));
}

async function tfjsBackend(tfBackend: 'webgl' | 'wasm' | 'cpu'): Promise<Backend> {
  if (tfBackend === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  if (tfBackend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  if (tfBackend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { wasmFiles } = await import('./tfjs-wasm-files.js');
    wasm.setWasmPaths(wasmFiles);
  }
  const { createTfjsBackend } = await import('@swin/backend-tfjs');
  return createTfjsBackend({ tfBackend, name: `tfjs-${tfBackend}` });
}

async function onnxBackend(provider: 'wasm' | 'webgpu'): Promise<Backend> {
  const { createOnnxBackend } = await import('@swin/backend-onnx/web');
  // one wasm thread: the page is not cross-origin isolated, so ort could not start workers anyway
  return createOnnxBackend({ executionProviders: [provider], threads: 1 });
}

/** Every backend the demo knows, fastest first where the browser has them. */
export const BACKEND_OPTIONS: readonly BackendOption[] = [
  {
    id: 'webgpu',
    label: 'WebGPU (our WGSL kernels)',
    availability: async () => (await webGpuAvailability()) ?? (await importable(() => import('@swin/backend-webgpu'))()),
    create: async () => (await import('@swin/backend-webgpu')).createWebGpuBackend(),
  },
  {
    id: 'onnx-webgpu',
    label: 'ONNX Runtime Web, WebGPU',
    availability: async () => (await webGpuAvailability()) ?? (await importable(() => import('@swin/backend-onnx/web'))()),
    create: () => onnxBackend('webgpu'),
  },
  {
    id: 'onnx-wasm',
    label: 'ONNX Runtime Web, wasm',
    availability: importable(() => import('@swin/backend-onnx/web')),
    create: () => onnxBackend('wasm'),
  },
  {
    id: 'tfjs-webgl',
    label: 'TensorFlow.js, WebGL',
    availability: async () => {
      const c = document.createElement('canvas');
      if (!c.getContext('webgl2') && !c.getContext('webgl')) return 'this browser has no WebGL';
      return importable(() => import('@swin/backend-tfjs'))();
    },
    create: () => tfjsBackend('webgl'),
  },
  {
    id: 'tfjs-wasm',
    label: 'TensorFlow.js, wasm',
    availability: importable(() => import('@swin/backend-tfjs')),
    create: () => tfjsBackend('wasm'),
  },
  {
    id: 'tfjs-cpu',
    label: 'TensorFlow.js, plain JS',
    availability: importable(() => import('@swin/backend-tfjs')),
    create: () => tfjsBackend('cpu'),
  },
  {
    id: 'reference',
    label: 'Reference (@swin/core, plain TypeScript)',
    availability: async () => null,
    create: async () => createReferenceBackend(),
  },
];
