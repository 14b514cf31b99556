import { BackendError, SwinError } from '../errors.js';
import type { Backend, BackendCreateOptions, BackendFactory } from './backend.js';
import { createReferenceBackend } from './reference-backend.js';

// One registry per process (or page / worker), shared by every copy of @swin/core loaded in it: a
// package manager that nests a second core (mixed versions) would otherwise give each copy its own
// map, and a backend registered through one copy would be unknown to the other. The map lives on
// globalThis under a registry-wide symbol, so every copy finds the same one.
const REGISTRY_KEY = Symbol.for('@swin/core/backend-registry');

interface SharedRegistry {
  readonly factories: Map<string, BackendFactory>;
}

function registry(): SharedRegistry {
  const g = globalThis as unknown as Record<symbol, SharedRegistry | undefined>;
  let shared = g[REGISTRY_KEY];
  if (!shared) {
    // The reference backend is always available; others register themselves from their packages.
    shared = { factories: new Map<string, BackendFactory>([['reference', createReferenceBackend]]) };
    Object.defineProperty(globalThis, REGISTRY_KEY, { value: shared, enumerable: false, configurable: false, writable: false });
  }
  return shared;
}

/** Registers a backend factory under a name (replacing any previous one of that name). */
export function registerBackend(name: string, factory: BackendFactory): void {
  registry().factories.set(name, factory);
}

/** Whether a backend of this name is registered. */
export function hasBackend(name: string): boolean {
  return registry().factories.has(name);
}

/** Names of registered backends, in registration order. */
export function listBackends(): string[] {
  return [...registry().factories.keys()];
}

/**
 * Creates the backend registered as `name`, handing `options` to its factory (a backend without a
 * thread setting ignores `threads`: see Backend.threads); the error lists the names that exist.
 */
export async function createBackend(name: string, options: BackendCreateOptions = {}): Promise<Backend> {
  const factory = registry().factories.get(name);
  if (!factory) {
    throw new BackendError('UNKNOWN_BACKEND', `unknown backend '${name}': expected one of ${listBackends().join(', ') || '(none registered)'}`);
  }
  const { threads } = options;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new SwinError('INVALID_ARGUMENT', `backend '${name}': threads must be a positive integer, found ${String(threads)}`);
  }
  return factory(options);
}
