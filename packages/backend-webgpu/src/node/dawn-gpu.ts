// A Dawn GPU object for Node: tries the system's Vulkan drivers (a real GPU), then SwiftShader's
// Vulkan ICD from the chromium package, then Mesa's GL ES (llvmpipe) in compatibility mode.

import { WebGpuUnavailableError } from '../errors.js';
import { SWIFTSHADER_ICD, hasSwiftShaderIcd, isDawnSafeProcess } from './dawn-process.js';

/** Which Dawn adapter to use. 'auto' tries vulkan, then swiftshader, then opengles. */
export type DawnAdapterChoice = 'auto' | 'vulkan' | 'swiftshader' | 'opengles';

/** Options of createDawnGpu. */
export interface DawnGpuOptions {
  /** Default: the SWIN_WEBGPU_ADAPTER environment variable, else 'auto'. */
  readonly adapter?: DawnAdapterChoice;
  /** Extra Dawn options passed to create() (e.g. 'enable-dawn-features=allow_unsafe_apis'). */
  readonly dawnOptions?: readonly string[];
  /** Skip the --max-opt=2 check (the process may crash once V8 optimizes the code that drives Dawn). */
  readonly allowUnsafeJit?: boolean;
}

/** A GPU with the adapter options that found an adapter on it. */
export interface DawnGpu {
  readonly gpu: GPU;
  readonly adapterOptions: GPURequestAdapterOptions;
  /** Which route worked: 'vulkan', 'swiftshader' or 'opengles'. */
  readonly route: Exclude<DawnAdapterChoice, 'auto'>;
}

interface DawnModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

let dawn: DawnModule | undefined;

async function loadDawn(): Promise<DawnModule> {
  if (dawn) return dawn;
  try {
    // Loaded on first use: importing this package must not load native code nobody asked for.
    dawn = (await import('webgpu')) as unknown as DawnModule;
  } catch (cause) {
    throw new WebGpuUnavailableError(`cannot load Dawn, the npm package 'webgpu' (an optional peer dependency, needed only in Node): install it with 'npm install webgpu@^0.6.2' (${String(cause)})`, { cause });
  }
  // Kernels use the WebGPU constant namespaces (GPUBufferUsage, GPUMapMode...) as globals, as in browsers.
  for (const [k, v] of Object.entries(dawn.globals)) {
    if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
  return dawn;
}

async function tryRoute(route: DawnGpu['route'], extra: readonly string[]): Promise<DawnGpu | undefined> {
  const d = await loadDawn();
  if (route === 'swiftshader') {
    if (!hasSwiftShaderIcd()) return undefined;
    process.env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;
  }
  if (route === 'opengles') process.env['EGL_PLATFORM'] ??= 'surfaceless';
  const options = route === 'opengles' ? ['backend=opengles', ...extra] : ['backend=vulkan', ...extra];
  const adapterOptions: GPURequestAdapterOptions = route === 'opengles' ? ({ featureLevel: 'compatibility' } as GPURequestAdapterOptions) : {};
  const gpu = d.create(options);
  const adapter = await gpu.requestAdapter(adapterOptions).catch(() => null);
  return adapter ? { gpu, adapterOptions, route } : undefined;
}

/** GPUs made so far, by route request: Dawn instances are costly and tearing many down at exit is crash-prone. */
const made = new Map<string, Promise<DawnGpu>>();

/**
 * Dawn's GPU object on the first adapter route that works (created once per process and option
 * set, then shared), or a typed error saying what is missing.
 */
export function createDawnGpu(options: DawnGpuOptions = {}): Promise<DawnGpu> {
  const key = JSON.stringify([options.adapter ?? process.env['SWIN_WEBGPU_ADAPTER'] ?? 'auto', options.dawnOptions ?? [], options.allowUnsafeJit ?? false]);
  let p = made.get(key);
  if (!p) {
    p = findDawnGpu(options);
    made.set(key, p);
    p.catch(() => made.delete(key));
  }
  return p;
}

async function findDawnGpu(options: DawnGpuOptions): Promise<DawnGpu> {
  if (!options.allowUnsafeJit && !isDawnSafeProcess()) {
    throw new WebGpuUnavailableError(
      'Dawn needs node started with --max-opt=2 (it crashes once V8 optimizes the code that drives it): run `node --max-opt=2 ...`, set NODE_OPTIONS=--max-opt=2, or call relaunchWithDawnFlags() from @swin/backend-webgpu/node at startup',
    );
  }
  const choice = options.adapter ?? ((process.env['SWIN_WEBGPU_ADAPTER'] as DawnAdapterChoice | undefined) || 'auto');
  const routes: DawnGpu['route'][] = choice === 'auto' ? ['vulkan', 'swiftshader', 'opengles'] : [choice];
  const vulkanPreset = process.env['VK_ICD_FILENAMES'];
  for (const route of routes) {
    // A user's own VK_ICD_FILENAMES is the 'vulkan' route; do not replace it with SwiftShader.
    if (route === 'swiftshader' && vulkanPreset && choice === 'auto') continue;
    const found = await tryRoute(route, options.dawnOptions ?? []);
    if (found) return found;
  }
  throw new WebGpuUnavailableError(
    `Dawn found no WebGPU adapter (tried ${routes.join(', ')}). Without a GPU, install Debian's chromium package (apt-get install chromium) for SwiftShader's Vulkan ICD at ${SWIFTSHADER_ICD}, or Mesa's GL ES drivers (libegl-mesa0, libgles2) for the opengles route.`,
  );
}
