import { BackendError } from '../errors.js';
import type { Backend, BackendFactory } from './backend.js';
import { createReferenceBackend } from './reference-backend.js';

// The reference backend is always available; others register themselves from their packages.
const factories = new Map<string, BackendFactory>([['reference', createReferenceBackend]]);

/** Registers a backend factory under a name (replacing any previous one of that name). */
export function registerBackend(name: string, factory: BackendFactory): void {
  factories.set(name, factory);
}

/** Names of registered backends, in registration order. */
export function listBackends(): string[] {
  return [...factories.keys()];
}

/** Creates the backend registered as `name`; the error lists the names that exist. */
export async function createBackend(name: string): Promise<Backend> {
  const factory = factories.get(name);
  if (!factory) {
    throw new BackendError('UNKNOWN_BACKEND', `unknown backend '${name}': expected one of ${listBackends().join(', ') || '(none registered)'}`);
  }
  return factory();
}
