import {
  ALL_OPS,
  BackendError,
  dimsOf,
  ShapeError,
  validateInputs,
  type Backend,
  type BackendCapabilities,
  type CompileOptions,
  type Executable,
  type Graph,
  type TensorData,
} from '@swin/core';
import { buildOnnxModel, type OnnxExportDtype } from '../export-onnx.js';
import { encodeOnnxModel } from '../onnx/encode-onnx-model.js';
import type { OnnxModel } from '../onnx/onnx-model.js';
import type { OrtExecutionProvider, OrtModule, OrtSession, OrtSessionOptions } from './ort-module.js';
import { fromOrtTensor, toOrtTensor } from './tensor-conversion.js';

/** Options of the onnx backend. */
export interface OnnxBackendOptions {
  /** Intra-op threads (onnxruntime-node; the Node entry defaults to the machine's cores). */
  readonly threads?: number;
  /** onnxruntime execution providers, in preference order (default: the runtime's own default, 'cpu' in Node). */
  readonly executionProviders?: readonly (string | OrtExecutionProvider)[];
  /**
   * What every compile runs in unless its own options say float16: float32 (default), float16, or
   * int8 (int8 linear weights, activations quantized at run time; see README).
   */
  readonly dtype?: OnnxExportDtype;
  /** Lets the exporter use onnxruntime contrib ops (com.microsoft domain). */
  readonly allowContribOps?: boolean;
  /** Extra onnxruntime session options, applied last. */
  readonly sessionOptions?: OrtSessionOptions;
  /**
   * One session for every input size: compile exports the graph size-generic (float32; see README
   * "Any input size") and run accepts any height and width from the model's minimum up.
   */
  readonly dynamicSize?: boolean;
}

/** An executable backed by one onnxruntime InferenceSession. */
export interface OnnxExecutable extends Executable {
  /** Bytes of the ONNX model the session was created from (graph plus weights). */
  readonly modelBytes: number;
}

/** Initializers at least this big are handed to onnxruntime as in-memory external data. */
const EXTERNAL_DATA_MIN_BYTES = 1024;

/**
 * The session options we use: sequential execution, all graph optimizations, fixed intra-op
 * threads, the CPU memory arena on, and initializers allocated outside it.
 * - Arena on: without it every run allocates its activation buffers afresh (fresh pages from the
 *   system, zeroed by the kernel); the benchmark measured Swin-T at batch 8 1.8x (float32) and
 *   2.3x (int8) slower with it off, at batch 1 about the same.
 * - `session.use_device_allocator_for_initializers`: onnxruntime copies each weight in, prepacks
 *   it for its GEMM and frees the copy; from the arena those freed copies would stay reserved.
 *   Allocated directly they go back to malloc, so the session holds no more after compiling than
 *   with the arena off (README, Memory).
 */
export function onnxSessionOptions(options: OnnxBackendOptions): OrtSessionOptions {
  return {
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    ...(options.threads !== undefined ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {}),
    ...(options.executionProviders ? { executionProviders: [...options.executionProviders] } : {}),
    ...options.sessionOptions,
    extra: withSessionConfig(options.sessionOptions?.extra, { use_device_allocator_for_initializers: '1' }),
  };
}

/** onnxruntime's `extra` config entries with `defaults` under `session`, the caller's own entries winning. */
function withSessionConfig(extra: Record<string, unknown> | undefined, defaults: Record<string, string>): Record<string, unknown> {
  const own = extra?.['session'];
  const session = typeof own === 'object' && own !== null ? own : {};
  return { ...extra, session: { ...defaults, ...session } };
}

/**
 * Serializes a model for onnxruntime with its weights as in-memory external data: views of tensors
 * we already hold, so no serialized copy of the weights exists next to onnxruntime's own (it
 * copies them in while creating the session).
 */
function encodeForSession(model: OnnxModel): { bytes: Uint8Array; externalData: { path: string; data: Uint8Array }[] } {
  const externalData: { path: string; data: Uint8Array }[] = [];
  const bytes = encodeOnnxModel(model, (t) => {
    if (t.rawData.byteLength < EXTERNAL_DATA_MIN_BYTES) return undefined;
    const path = `w${externalData.length}.bin`;
    externalData.push({ path, data: t.rawData });
    return { location: path, offset: 0, length: t.rawData.byteLength };
  });
  return { bytes, externalData };
}

/** The graph without nodes or constants: what run() needs to check and name inputs and outputs. */
function interfaceOf(graph: Graph): Graph {
  return { inputs: graph.inputs, outputs: graph.outputs, dynamicBatch: graph.dynamicBatch, nodes: [], constants: new Map(), values: new Map(), metadata: {} };
}

/** The input check of a size-generic session: the graph's input with any height and width of at least `minSide`. */
function dynamicSizeInputCheck(io: Graph, minSide: number): (inputs: Record<string, TensorData>) => void {
  return (inputs) => {
    const sized: Record<string, TensorData> = {};
    for (const [name, t] of Object.entries(inputs)) {
      const info = io.inputs.find((i) => i.name === name);
      if (info && t.shape.length === 4 && info.shape.length === 4) {
        const [n, c, h, w] = dimsOf(t.shape, 4, `input '${name}'`);
        const [, , nominalH, nominalW] = dimsOf(info.shape, 4, `graph input '${name}'`);
        if (h < minSide || w < minSide) throw new ShapeError(`input '${name}': expected height and width of at least ${minSide}, found ${h}x${w}`);
        // Checked against the graph's nominal size so batch, channels and dtype get the usual messages.
        sized[name] = { ...t, shape: [n, c, nominalH, nominalW] } as TensorData;
      } else {
        sized[name] = t;
      }
    }
    validateInputs(io, sized);
  };
}

/**
 * A Backend over any onnxruntime JavaScript module (onnxruntime-node or onnxruntime-web). compile
 * exports the whole graph as one ONNX model (composites as native subgraphs, constants folded)
 * and creates an InferenceSession from it, handing the weights over as in-memory external data.
 */
export function createOnnxRuntimeBackend(ort: OrtModule, options: OnnxBackendOptions = {}): Backend {
  const capabilities: BackendCapabilities = { ops: new Set(ALL_OPS), dtypes: new Set(['float32', 'float16', 'int32']) };
  const live = new Set<OrtSession>();
  let disposed = false;
  const sessionOptions = onnxSessionOptions(options);
  return {
    name: 'onnx',
    capabilities,
    // What the sessions really get: sessionOptions may override `threads`.
    ...(sessionOptions.intraOpNumThreads !== undefined ? { threads: sessionOptions.intraOpNumThreads } : {}),
    async compile(graph: Graph, compileOptions?: CompileOptions): Promise<OnnxExecutable> {
      if (disposed) throw new BackendError('DISPOSED', "backend 'onnx' was disposed");
      compileOptions?.onProgress?.(0, 2, 'export onnx');
      const model = buildOnnxModel(graph, { dtype: compileOptions?.dtype ?? options.dtype ?? 'float32', allowContribOps: options.allowContribOps ?? false, dynamicSize: options.dynamicSize ?? false });
      const { bytes, externalData } = encodeForSession(model);
      const modelBytes = bytes.byteLength + externalData.reduce((a, f) => a + f.data.byteLength, 0);
      compileOptions?.onProgress?.(1, 2, 'create session');
      let session: OrtSession;
      try {
        session = await ort.InferenceSession.create(bytes, { ...sessionOptions, externalData });
      } catch (cause) {
        throw new BackendError('BACKEND_FAILURE', `onnxruntime could not create a session for the exported model: ${String((cause as Error)?.message ?? cause)}`, { cause });
      }
      live.add(session);
      compileOptions?.onProgress?.(2, 2, 'create session');
      // Keep only the graph's interface: holding the graph would keep every weight alive in JS
      // next to onnxruntime's copy after the caller has let go of them.
      const io = interfaceOf(graph);
      const checkInputs = options.dynamicSize ? dynamicSizeInputCheck(io, Number(model.metadata['swin.minInputSize'] ?? 1)) : (inputs: Record<string, TensorData>) => validateInputs(io, inputs);
      let alive = true;
      return {
        modelBytes,
        async run(inputs: Record<string, TensorData>): Promise<Record<string, TensorData>> {
          if (!alive) throw new BackendError('DISPOSED', "executable on 'onnx' was disposed");
          // checkInputs refused a call without every graph input: inputs[i.name] exists.
          checkInputs(inputs);
          const feeds = Object.fromEntries(io.inputs.map((i) => [i.name, toOrtTensor(ort, inputs[i.name]!)]));
          let results: Awaited<ReturnType<OrtSession['run']>>;
          try {
            results = await session.run(feeds);
          } catch (cause) {
            throw new BackendError('BACKEND_FAILURE', `onnxruntime run failed: ${String((cause as Error)?.message ?? cause)}`, { cause });
          }
          const out: Record<string, TensorData> = {};
          for (const o of io.outputs) {
            const t = results[o.name];
            if (!t) throw new BackendError('BACKEND_FAILURE', `onnxruntime returned no output '${o.name}': found ${Object.keys(results).join(', ')}`);
            out[o.name] = fromOrtTensor(o.name, t);
          }
          return out;
        },
        dispose() {
          if (!alive) return;
          alive = false;
          live.delete(session);
          void session.release();
        },
      };
    },
    async dispose() {
      disposed = true;
      const sessions = [...live];
      live.clear();
      await Promise.all(sessions.map((s) => s.release()));
    },
  };
}
