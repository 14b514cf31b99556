import { BackendError, createReferenceBackend, type Backend } from '@swin/core';
import { importOptionalBackend } from './optional-backends.js';

/** Backend names the CLI accepts. */
export const BACKEND_NAMES = ['auto', 'reference', 'tfjs', 'tfjs-wasm', 'onnx', 'webgpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

type Loader = () => Promise<Backend>;

// Each backend is imported only when asked for, so a missing optional package or native binary
// affects only the command that needs it, with an error that says which package to install.
const LOADERS: Record<Exclude<BackendName, 'auto'>, Loader> = {
  reference: async () => createReferenceBackend(),
  tfjs: async () => (await importTfjs('tfjs')).createTfjsNodeBackend('cpu'),
  'tfjs-wasm': async () => (await importTfjs('tfjs-wasm')).createTfjsNodeBackend('wasm'),
  onnx: async () => (await importBackend('@swin/backend-onnx/node', 'onnx')).createOnnxNodeBackend(),
  webgpu: async () => (await importOptionalBackend<typeof import('@swin/backend-webgpu/node')>('webgpu', '@swin/backend-webgpu/node')).createNodeWebGpuBackend(),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function importBackend(specifier: string, name: string): Promise<any> {
  try {
    return await import(specifier);
  } catch (err) {
    throw new BackendError('UNKNOWN_BACKEND', `backend '${name}' is not available: cannot load ${specifier} (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

// tfjs greets Node users on stderr with advice to install tfjs-node (which cannot install
// offline); in production mode it stays quiet.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function importTfjs(name: 'tfjs' | 'tfjs-wasm'): Promise<any> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const tf = await importOptionalBackend<any>(name, '@tensorflow/tfjs-core');
  tf.env().set('PROD', true);
  return importOptionalBackend(name, '@swin/backend-tfjs/node');
}

/** Fastest first, for `--backend auto`: onnxruntime, then tfjs on wasm, then the reference. */
const AUTO_ORDER: Exclude<BackendName, 'auto'>[] = ['onnx', 'tfjs-wasm', 'reference'];

/** Parses and validates a backend name. */
export function parseBackendName(value: string): BackendName {
  if (!(BACKEND_NAMES as readonly string[]).includes(value)) {
    throw new BackendError('UNKNOWN_BACKEND', `unknown backend '${value}': expected one of ${BACKEND_NAMES.join(', ')}`);
  }
  return value as BackendName;
}

/** Creates the named backend; `auto` takes the first that loads on this platform. */
export async function openBackend(name: BackendName): Promise<Backend> {
  if (name !== 'auto') return LOADERS[name]();
  const failures: string[] = [];
  for (const candidate of AUTO_ORDER) {
    try {
      return await LOADERS[candidate]();
    } catch (err) {
      failures.push(`${candidate}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new BackendError('UNKNOWN_BACKEND', `no backend could be loaded: ${failures.join('; ')}`);
}
