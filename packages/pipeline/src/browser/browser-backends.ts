import { registerBackend, type Backend } from '@swin/core';
import { importOptional, type BackendProviders } from '../backend-choice.js';

/** The optional backend packages a page can use, by the module specifier the pipeline imports. */
export type BackendModuleName = '@swin/backend-webgpu' | '@swin/backend-onnx/web' | '@swin/backend-tfjs' | '@tensorflow/tfjs-backend-webgl' | '@tensorflow/tfjs-backend-wasm' | '@tensorflow/tfjs-backend-cpu';

/**
 * What each of them is to the pipeline, by type only (nothing is loaded until a backend is asked
 * for): our backends' modules, and tfjs backends that register themselves with tfjs on import.
 */
interface BackendModules {
  '@swin/backend-webgpu': typeof import('@swin/backend-webgpu');
  '@swin/backend-onnx/web': typeof import('@swin/backend-onnx/web');
  '@swin/backend-tfjs': typeof import('@swin/backend-tfjs');
  '@tensorflow/tfjs-backend-webgl': unknown;
  '@tensorflow/tfjs-backend-wasm': unknown;
  '@tensorflow/tfjs-backend-cpu': unknown;
}

const loaders = new Map<string, () => Promise<unknown>>();

/**
 * Tells the pipeline how to import backend packages in a bundled app: a bundler only includes
 * what the app's own code imports, so an app hands over `() => import('...')` for the backends it
 * ships. Without this, the pipeline imports the bare specifier (import maps, unbundled ESM).
 */
export function provideBackendModules(modules: Partial<Record<BackendModuleName, () => Promise<unknown>>>): void {
  for (const [name, load] of Object.entries(modules)) if (load) loaders.set(name, load);
}

function load<N extends BackendModuleName>(specifier: N, purpose: string): Promise<BackendModules[N]> {
  const provided = loaders.get(specifier);
  // An app's loader is its own import() of this very specifier (provideBackendModules), which the
  // page's bundler typed; here it is only known as a promise.
  const importIt = (): Promise<BackendModules[N]> => (provided ? (provided() as Promise<BackendModules[N]>) : import(/* @vite-ignore */ /* webpackIgnore: true */ specifier));
  return importOptional(importIt, specifier.replace(/\/web$/, ''), purpose);
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

let adapterCheck: Promise<string | null> | undefined;
/** WebGPU needs navigator.gpu and an adapter; asked once per page. */
export function webGpuUnavailable(): Promise<string | null> {
  adapterCheck ??= (async () => {
    const gpu = (globalThis.navigator as unknown as { gpu?: GpuLike } | undefined)?.gpu;
    if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
    try {
      return (await gpu.requestAdapter()) ? null : 'WebGPU is present but gave no adapter';
    } catch (e) {
      return `WebGPU adapter request failed: ${(e as Error).message}`;
    }
  })();
  return adapterCheck;
}

async function webGlUnavailable(): Promise<string | null> {
  const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : typeof document !== 'undefined' ? document.createElement('canvas') : undefined;
  if (!canvas) return 'no canvas here';
  return canvas.getContext('webgl2') || canvas.getContext('webgl') ? null : 'this browser has no WebGL';
}

/** The same backend under the registry name it was chosen by (onnx calls itself 'onnx' whatever the provider). */
function renamed(backend: Backend, name: string): Backend {
  return {
    name,
    capabilities: backend.capabilities,
    ...(backend.threads !== undefined ? { threads: backend.threads } : {}),
    compile: (graph, options) => backend.compile(graph, options),
    dispose: () => backend.dispose(),
  };
}

function onnxProvider(name: string, provider: 'wasm' | 'webgpu'): BackendProviders['providers'][number] {
  return {
    name,
    ...(provider === 'webgpu' ? { unavailable: webGpuUnavailable } : {}),
    register: async () => {
      const mod = await load('@swin/backend-onnx/web', `backend '${name}'`);
      // Without cross-origin isolation onnxruntime-web cannot start worker threads: use one
      // whatever was asked; with it, the asked count (else onnxruntime-web's default).
      const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
      registerBackend(name, ({ threads: asked }) => {
        const threads = isolated ? asked : 1;
        return renamed(mod.createOnnxBackend({ executionProviders: [provider], ...(threads !== undefined ? { threads } : {}) }), name);
      });
    },
  };
}

function tfjsProvider(kind: 'webgl' | 'wasm' | 'cpu'): BackendProviders['providers'][number] {
  const name = `tfjs-${kind}`;
  return {
    name,
    ...(kind === 'webgl' ? { unavailable: webGlUnavailable } : {}),
    register: async () => {
      await load(`@tensorflow/tfjs-backend-${kind}`, `backend '${name}'`);
      const mod = await load('@swin/backend-tfjs', `backend '${name}'`);
      registerBackend(name, () => mod.createTfjsBackend({ tfBackend: kind, name }));
    },
  };
}

/** Browsers and workers: our WebGPU when an adapter exists, else onnxruntime-web on wasm, else tfjs. */
export const BROWSER_BACKENDS: BackendProviders = {
  providers: [
    {
      name: 'webgpu',
      unavailable: webGpuUnavailable,
      register: async () => {
        const mod = await load('@swin/backend-webgpu', "backend 'webgpu'");
        registerBackend('webgpu', () => mod.createWebGpuBackend());
      },
    },
    onnxProvider('onnx-webgpu', 'webgpu'),
    onnxProvider('onnx-wasm', 'wasm'),
    tfjsProvider('webgl'),
    tfjsProvider('wasm'),
    tfjsProvider('cpu'),
    { name: 'reference', register: async () => undefined },
  ],
  autoOrder: ['webgpu', 'onnx-wasm', 'tfjs-webgl', 'tfjs-wasm', 'tfjs-cpu'],
};
