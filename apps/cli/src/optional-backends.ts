// The CLI ships with onnxruntime (and the reference). The tfjs and WebGPU backends are optional:
// `npm i -g @swin/cli` does not download them (tfjs' wasm binaries, Dawn's 130 MB of native code).
// Asked for one that is not installed, the CLI names the packages and the command that adds them
// to its own install, with the versions from its manifest.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendError } from '@swin/core';

/** npm packages each optional backend loads when asked for. */
export const OPTIONAL_BACKEND_PACKAGES = {
  tfjs: ['@swin/backend-tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu'],
  'tfjs-wasm': ['@swin/backend-tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'],
  webgpu: ['@swin/backend-webgpu', 'webgpu'],
} as const;

export type OptionalBackendName = keyof typeof OPTIONAL_BACKEND_PACKAGES;

/** The CLI package's own directory (dist/.. in the published package). */
const CLI_PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

interface CliManifest {
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readManifest(): CliManifest {
  try {
    return JSON.parse(readFileSync(join(CLI_PACKAGE_DIR, 'package.json'), 'utf8')) as CliManifest;
  } catch {
    return {};
  }
}

/** True when `name` is installed where Node resolves it from the CLI (node_modules up the tree). */
function isInstalled(name: string): boolean {
  for (let dir = CLI_PACKAGE_DIR; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

function shellQuote(word: string): string {
  return /^[\w@/.:=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that installs a backend's packages beside the CLI. Versions: the optional peer range
 * the CLI declares, else the version it was tested with (its devDependencies, which pnpm publishes
 * with real ranges).
 */
export function installCommandFor(backend: OptionalBackendName): string {
  const manifest = readManifest();
  const specs = OPTIONAL_BACKEND_PACKAGES[backend].map((name) => {
    const range = manifest.peerDependencies?.[name] ?? manifest.devDependencies?.[name];
    return shellQuote(range && !range.startsWith('workspace:') ? `${name}@${range}` : name);
  });
  // --save-prod: the CLI's manifest lists these as devDependencies, which --omit=dev would skip.
  return `npm install --omit=dev --save-prod --prefix ${shellQuote(CLI_PACKAGE_DIR)} ${specs.join(' ')}`;
}

/** Fails with a one-line error naming the missing packages and the install command. */
export function assertOptionalBackendInstalled(backend: OptionalBackendName): void {
  const missing = OPTIONAL_BACKEND_PACKAGES[backend].filter((name) => !isInstalled(name));
  if (missing.length > 0) {
    throw new BackendError('UNKNOWN_BACKEND', `backend '${backend}' is not installed (missing ${missing.join(', ')}); add it to the CLI with: ${installCommandFor(backend)}`);
  }
}

/**
 * Imports a module of an optional backend. When the backend's packages are not installed, fails
 * with a one-line error naming them and the install command; other failures keep their cause.
 */
export async function importOptionalBackend<T>(backend: OptionalBackendName, specifier: string): Promise<T> {
  assertOptionalBackendInstalled(backend);
  try {
    return (await import(specifier)) as T;
  } catch (err) {
    throw new BackendError('UNKNOWN_BACKEND', `backend '${backend}' is not available: cannot load ${specifier} (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`, { cause: err });
  }
}
