import type { ShaderSpec } from '../kernels/kernel-types.js';
import { WebGpuValidationError } from '../errors.js';

/**
 * Compute pipelines by shader key, shared by every executable of a backend: a key names all that
 * the source depends on, and shapes are uniforms, so Swin-T needs a few dozen pipelines in all.
 */
export class PipelineCache {
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();

  constructor(private readonly device: GPUDevice) {}

  /** The pipeline for a shader, compiling it on first use. */
  get(shader: ShaderSpec): Promise<GPUComputePipeline> {
    let p = this.pipelines.get(shader.key);
    if (!p) {
      p = this.compile(shader);
      this.pipelines.set(shader.key, p);
      p.catch(() => this.pipelines.delete(shader.key));
    }
    return p;
  }

  private async compile(shader: ShaderSpec): Promise<GPUComputePipeline> {
    const code = shader.code();
    const module = this.device.createShaderModule({ label: shader.key, code });
    try {
return await this.device.createComputePipelineAsync({ label: shader.key, layout: 'auto', compute: { module, entryPoint: 'main' } });
    } catch (cause) {
      const info = await module.getCompilationInfo();
      const messages = info.messages.map((m) => `${m.type} at ${m.lineNum}:${m.linePos}: ${m.message}`).join('; ');
      throw new WebGpuValidationError(`pipeline '${shader.key}' failed: ${messages || String(cause)}`);
    }
  }

  /** Number of distinct pipelines compiled so far. */
  get size(): number {
    return this.pipelines.size;
  }
}
