import { BROWSER_BACKENDS, provideBackendModules } from '@swin/pipeline/browser';

// @swin/pipeline chooses and creates the backends; the page only hands it its backend packages as
// lazy imports (a bundler ships what the app's own code imports), so the page loads fast and one
// broken backend cannot break the others.
provideBackendModules({
  '@swin/backend-webgpu': () => import('@swin/backend-webgpu'),
  '@swin/backend-onnx/web': () => import('@swin/backend-onnx/web'),
  '@swin/backend-tfjs': () => import('@swin/backend-tfjs'),
  '@tensorflow/tfjs-backend-webgl': () => import('@tensorflow/tfjs-backend-webgl'),
  '@tensorflow/tfjs-backend-cpu': () => import('@tensorflow/tfjs-backend-cpu'),
  '@tensorflow/tfjs-backend-wasm': async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { wasmFiles } = await import('./tfjs-wasm-files.js');
    wasm.setWasmPaths(wasmFiles);
    return wasm;
  },
});

/** Why a backend cannot run in this browser (null: it can), from the pipeline's own checks. */
export function backendUnavailable(id: string): Promise<string | null> {
  const provider = BROWSER_BACKENDS.providers.find((p) => p.name === id);
  if (!provider) return Promise.resolve(`unknown backend ${id}`);
  return provider.unavailable?.() ?? Promise.resolve(null);
}
