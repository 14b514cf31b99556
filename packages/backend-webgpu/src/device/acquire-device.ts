import { WebGpuUnavailableError } from '../errors.js';

/** How to get a device: an existing one, or a GPU object (navigator.gpu, Dawn's) and adapter options. */
export interface DeviceRequest {
  readonly device?: GPUDevice;
  readonly gpu?: GPU;
  readonly adapterOptions?: GPURequestAdapterOptions;
  /** Ask for shader-f16 when the adapter has it. */
  readonly float16?: boolean;
}

/** A device and whether we own it (and so destroy it on dispose). */
export interface AcquiredDevice {
  readonly device: GPUDevice;
  readonly owned: boolean;
  readonly adapterInfo: { readonly vendor: string; readonly architecture: string; readonly device: string; readonly description: string } | undefined;
}

/** Limits worth raising to the adapter's maximum: bigger batches, and the five storage buffers of a fused matmul (compatibility mode defaults to four). */
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxStorageBuffersPerShaderStage',
] as const;

/** Obtains a device, raising the limits the kernels benefit from and enabling optional features. */
export async function acquireDevice(request: DeviceRequest): Promise<AcquiredDevice> {
  if (request.device) {
    // GPUDevice.adapterInfo is recent (Chrome 132+); without it the backend assumes a GPU.
    const info = (request.device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
    return { device: request.device, owned: false, adapterInfo: info ? describe(info) : undefined };
  }
  const gpu = request.gpu ?? (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) {
    throw new WebGpuUnavailableError(
      'WebGPU is not available: navigator.gpu is undefined. In a browser, use one with WebGPU enabled (Chromium: --enable-unsafe-webgpu on Linux); in Node, import @swin/backend-webgpu/node, which provides Dawn.',
    );
  }
  const adapter = await gpu.requestAdapter(request.adapterOptions);
  if (!adapter) {
    throw new WebGpuUnavailableError(
      'WebGPU returned no adapter: no GPU driver was usable. On Linux without a GPU, Chromium needs --use-webgpu-adapter=swiftshader, and Node needs a Vulkan ICD (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json from the Debian chromium package) or Mesa GL ES (EGL_PLATFORM=surfaceless).',
    );
  }
  const requiredFeatures: GPUFeatureName[] = [];
  if (request.float16 && adapter.features.has('shader-f16')) requiredFeatures.push('shader-f16');
  if (adapter.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) {
    const v = adapter.limits[name];
    if (typeof v === 'number') requiredLimits[name] = v;
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredFeatures, requiredLimits, label: 'swin' });
  } catch (cause) {
    throw new WebGpuUnavailableError(`the WebGPU adapter refused a device: ${String(cause)}`, { cause });
  }
  return { device, owned: true, adapterInfo: adapter.info ? describe(adapter.info) : undefined };
}

/** True for adapters that emulate a GPU on the CPU (SwiftShader, llvmpipe, lavapipe, WARP). */
export function isCpuAdapter(info: AcquiredDevice['adapterInfo']): boolean {
  if (!info) return false;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  return /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|warp/.test(text);
}

function describe(info: GPUAdapterInfo): NonNullable<AcquiredDevice['adapterInfo']> {
  return { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description };
}
