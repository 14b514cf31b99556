import type { DType } from '../tensor/dtype.js';
import type { TensorData } from '../tensor/tensor.js';
import type { Graph } from '../graph/graph.js';
import type { OpName } from '../ops/op-set.js';

/** What a backend can run natively; composites not listed are lowered by core before compile. */
export interface BackendCapabilities {
  readonly ops: ReadonlySet<OpName>;
  readonly dtypes: ReadonlySet<DType>;
}

/** Options every backend accepts; backends may define more in their own option types. */
export interface CompileOptions {
  /** Compute dtype for activations and weights (default float32). */
  readonly dtype?: 'float32' | 'float16';
  /** Called with (done, total, label) during long compiles (weight upload, session creation). */
  readonly onProgress?: (done: number, total: number, label: string) => void;
}

/** A compiled graph, ready to run many times. */
export interface Executable {
  /** Runs the graph; inputs and outputs by name. Dim 0 may differ from the graph's nominal batch when the graph allows it. */
  run(inputs: Record<string, TensorData>): Promise<Record<string, TensorData>>;
  /** Frees everything the executable holds; later runs throw a DISPOSED error. */
  dispose(): void;
}

/** The one contract between @swin/core and a compute backend: graph in, executable out. */
export interface Backend {
  readonly name: string;
  readonly capabilities: BackendCapabilities;
  /**
   * CPU threads its kernels run on, for a backend with a thread setting (onnxruntime's intra-op
   * threads). Absent when it has none: it runs as its platform does (one JavaScript thread, wasm
   * without threads, a GPU), whatever `BackendCreateOptions.threads` asked for.
   */
  readonly threads?: number;
  compile(graph: Graph, options?: CompileOptions): Promise<Executable>;
  dispose(): Promise<void>;
}

/** Settings a caller may ask of any backend when creating it by name (`createBackend(name, options)`). */
export interface BackendCreateOptions {
  /**
   * CPU threads for the backend's kernels (a positive integer). A backend without a thread setting
   * ignores it; its `threads` stays absent, so callers can say which backends honoured it.
   */
  readonly threads?: number;
}

/**
 * Creates a backend; registered by name so apps can pick one at run time. Factories that take no
 * options (`() => Backend`) fit too: they ignore what createBackend passes.
 */
export type BackendFactory = (options: BackendCreateOptions) => Backend | Promise<Backend>;
