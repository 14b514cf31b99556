import { BackendError, type Backend, type BackendCreateOptions } from '@swin/core';
import { chooseBackend, NODE_BACKENDS } from '@swin/pipeline';
import { assertOptionalBackendInstalled, OPTIONAL_BACKEND_PACKAGES, type OptionalBackendName } from './optional-backends.js';

// Which backends exist and what 'auto' picks is @swin/pipeline's table (core's one registry,
// filled by importing backend packages); the CLI only validates the flag and, for the backends it
// installs optionally, names the install command when one is missing.

/** Backend names the CLI accepts. */
export const BACKEND_NAMES: readonly string[] = ['auto', ...NODE_BACKENDS.providers.map((p) => p.name)];
export type BackendName = string;

/** Parses and validates a backend name. */
export function parseBackendName(value: string): BackendName {
  if (!BACKEND_NAMES.includes(value)) {
    throw new BackendError('UNKNOWN_BACKEND', `unknown backend '${value}': expected one of ${BACKEND_NAMES.join(', ')}`);
  }
  return value;
}

/** Fails with the install command when a backend the CLI installs optionally is missing. */
export function requireBackendPackages(name: BackendName): void {
  if (name in OPTIONAL_BACKEND_PACKAGES) assertOptionalBackendInstalled(name as OptionalBackendName);
}

/**
 * Creates the named backend; `auto` takes the first that loads on this platform. `options.threads`
 * reaches backends with a thread setting; the backend's own `threads` says whether it did.
 */
export async function openBackend(name: BackendName, options: BackendCreateOptions = {}): Promise<Backend> {
  requireBackendPackages(name);
  return (await chooseBackend(name, NODE_BACKENDS, options)).backend;
}
