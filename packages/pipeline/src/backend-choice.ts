import { BackendError, createBackend, hasBackend, listBackends, type Backend, type BackendCreateOptions } from '@swin/core';

/**
 * A backend this platform knows how to find: `register` imports its package (an optional peer)
 * which puts it into core's one registry; `unavailable` says why it cannot run here (null: it can).
 */
export interface BackendProvider {
  readonly name: string;
  unavailable?(): Promise<string | null>;
  register(): Promise<void>;
}

/** The backends of one platform and the order 'auto' tries them in. */
export interface BackendProviders {
  readonly providers: readonly BackendProvider[];
  readonly autoOrder: readonly string[];
}

/** A backend ready to use, and whether the caller or 'auto' picked it. */
export interface ChosenBackend {
  readonly backend: Backend;
  readonly choice: 'auto' | 'explicit';
  /** True when loadModel created it (and so disposes it with the model). */
  readonly owned: boolean;
}

function message(err: unknown): string {
  // split() always returns at least one piece (the whole string when there is no newline).
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/**
 * Creates a backend by name from core's registry, importing its package first when it is not
 * registered yet; `options` go to its factory (see BackendCreateOptions).
 */
export async function openNamedBackend(name: string, table: BackendProviders, options: BackendCreateOptions = {}): Promise<Backend> {
  if (!hasBackend(name)) {
    const provider = table.providers.find((p) => p.name === name);
    if (!provider) {
      const known = [...new Set([...listBackends(), ...table.providers.map((p) => p.name)])];
      throw new BackendError('UNKNOWN_BACKEND', `unknown backend '${name}': expected auto or one of ${known.join(', ')}`);
    }
    const why = await provider.unavailable?.();
    if (why) throw new BackendError('UNKNOWN_BACKEND', `backend '${name}' cannot run here: ${why}`);
    await provider.register();
  }
  return createBackend(name, options);
}

/**
 * Resolves the `backend` option: a Backend object as is, a name through the registry, 'auto' by the
 * platform's order; `createOptions` go to the factory of a backend created by name.
 */
export async function chooseBackend(option: string | Backend | undefined, table: BackendProviders, createOptions: BackendCreateOptions = {}): Promise<ChosenBackend> {
  if (option !== undefined && typeof option !== 'string') return { backend: option, choice: 'explicit', owned: false };
  const name = option ?? 'auto';
  if (name !== 'auto') return { backend: await openNamedBackend(name, table, createOptions), choice: 'explicit', owned: true };
  const failures: string[] = [];
  for (const candidate of table.autoOrder) {
    try {
      return { backend: await openNamedBackend(candidate, table, createOptions), choice: 'auto', owned: true };
    } catch (err) {
      failures.push(`${candidate}: ${message(err)}`);
    }
  }
  throw new BackendError('UNKNOWN_BACKEND', `no backend could be loaded: ${failures.join('; ')}`);
}

/** Imports an optional peer package, turning "not installed" into an error that names the install. */
export async function importOptional<T>(load: () => Promise<T>, pkg: string, purpose: string): Promise<T> {
  try {
    return await load();
  } catch (err) {
    throw new BackendError('UNKNOWN_BACKEND', `${purpose} needs ${pkg} (npm install ${pkg}): ${message(err)}`, { cause: err });
  }
}
