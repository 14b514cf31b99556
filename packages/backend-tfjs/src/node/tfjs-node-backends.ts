import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { BackendError, registerBackend } from '@swin/core';
import { createTfjsBackend, type TfjsBackend, type TfjsBackendOptions } from '../tfjs-backend.js';

/** The tfjs backends this package sets up in Node. */
export type TfjsNodeBackendKind = 'cpu' | 'wasm';

/** Core registry names of the Node tfjs backends. */
export const TFJS_NODE_BACKEND_NAMES: Readonly<Record<TfjsNodeBackendKind, string>> = { cpu: 'tfjs', wasm: 'tfjs-wasm' };

let wasmPathsSet = false;

async function loadTfjsBackendPackage(kind: TfjsNodeBackendKind): Promise<void> {
  const pkg = kind === 'cpu' ? '@tensorflow/tfjs-backend-cpu' : '@tensorflow/tfjs-backend-wasm';
  let mod: { setWasmPaths?: (prefix: string) => void };
  try {
    mod = (await import(pkg)) as typeof mod;
  } catch (err) {
    throw new BackendError('UNKNOWN_BACKEND', `tfjs '${kind}' needs ${pkg} installed beside @tensorflow/tfjs-core (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`, { cause: err });
  }
  if (kind === 'wasm' && !wasmPathsSet && mod.setWasmPaths) {
    // The .wasm binaries ship in the package's dist/; point the loader there explicitly so it does
    // not depend on the bundle's own location guess.
    const require = createRequire(import.meta.url);
    mod.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '')}/`);
    wasmPathsSet = true;
  }
}

/** Creates the Swin backend on tfjs-backend-cpu ('cpu') or tfjs-backend-wasm ('wasm', SIMD). */
export async function createTfjsNodeBackend(kind: TfjsNodeBackendKind = 'wasm', options: Omit<TfjsBackendOptions, 'tfBackend'> = {}): Promise<TfjsBackend> {
  if (kind !== 'cpu' && kind !== 'wasm') throw new BackendError('UNKNOWN_BACKEND', `tfjs in Node runs on 'cpu' or 'wasm', not '${String(kind)}'`);
  await loadTfjsBackendPackage(kind);
  return createTfjsBackend({ name: TFJS_NODE_BACKEND_NAMES[kind], ...options, tfBackend: kind });
}

/**
 * Registers 'tfjs' (cpu) and 'tfjs-wasm' in core's registry, so `createBackend('tfjs-wasm')` works.
 * Neither has a thread setting in Node, so `createBackend`'s `threads` does not reach them (their
 * `threads` stays absent): tfjs-backend-cpu is plain JavaScript on one thread, and
 * tfjs-backend-wasm loads its single-threaded SIMD build under Node (its multithread check answers
 * false there, tfjs issue 3830), where `setThreadsCount` changes nothing.
 */
export function registerTfjsNodeBackends(): void {
  registerBackend(TFJS_NODE_BACKEND_NAMES.cpu, () => createTfjsNodeBackend('cpu'));
  registerBackend(TFJS_NODE_BACKEND_NAMES.wasm, () => createTfjsNodeBackend('wasm'));
}
