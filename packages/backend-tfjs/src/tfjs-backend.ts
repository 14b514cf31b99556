import * as tf from '@tensorflow/tfjs-core';
import { ALL_OPS, BackendError, createKernelTableBackend, type Backend, type OpName, type CompileOptions, type Graph, type Kernel, type KernelTableExecutable } from '@swin/core';
import { DerivedTensorCache } from './derived-tensor-cache.js';
import { downloadTensor, uploadTensor } from './tensor-transfer.js';
import { createTfjsKernelTable } from './tfjs-kernel-table.js';
import type { TfjsKernelTable, TfjsNativeComposite } from './kernels/kernel-support.js';

/** How to create a tfjs backend. */
export interface TfjsBackendOptions {
  /**
   * The tfjs backend to compute on ('cpu', 'wasm', 'webgl', 'webgpu', ...), which the app must have
   * registered (imported its package). Default: whatever tfjs has active when the backend is created.
   */
  readonly tfBackend?: string;
  /** Name reported in capabilities and errors (default `tfjs-<tfBackend>`). */
  readonly name?: string;
  /**
   * Called after every kernel with its op and wall time, for profiles (bench/). Exact on cpu and
   * wasm, whose kernels finish before returning; on webgl / webgpu it times only the dispatch.
   */
  readonly onKernel?: (op: OpName, ms: number) => void;
}

/** A Swin backend over TensorFlow.js, plus what it computes on. */
export interface TfjsBackend extends Backend {
  /** The tfjs backend every compile and run switches to. */
  readonly tfBackend: string;
}

/**
 * Makes `name` tfjs' active backend. tfjs keeps one global active backend, so each compile and run
 * switches to its own: two Swin backends on different tfjs backends may alternate, but must not run
 * at the same time.
 */
async function activate(name: string): Promise<void> {
  if (tf.getBackend() === name) return;
  const ok = await tf.setBackend(name);
  if (!ok) throw new BackendError('BACKEND_FAILURE', `tfjs backend '${name}' failed to initialise`);
  await tf.ready();
}

/**
 * tfjs backends differ in which kernels they register (a browser's may lack one we use): that
 * is a missing capability, so it becomes the typed UNSUPPORTED_OP error callers can act on.
 */
function asUnsupportedKernel(err: unknown, tfBackend: string): unknown {
  const m = err instanceof Error ? /Kernel '(\w+)' not registered/.exec(err.message) : null;
  if (!m) return err;
  return new BackendError('UNSUPPORTED_OP', `tfjs backend '${tfBackend}' has no '${m[1]}' kernel, which this graph needs`, { cause: err });
}

/** Op O's kernel, reporting its wall time. */
function timedKernel<O extends OpName>(op: O, kernel: Kernel<tf.Tensor, O>, onKernel: (op: OpName, ms: number) => void): Kernel<tf.Tensor, O> {
  return (inputs, attrs, ctx) => {
    const t0 = performance.now();
    const y = kernel(inputs, attrs, ctx);
    onKernel(op, performance.now() - t0);
    return y;
  };
}

/** Replaces op O's kernel in `table` by its timed wrapper. */
function timeKernel<O extends OpName>(table: { [K in O]: Kernel<tf.Tensor, K> }, op: O, onKernel: (op: OpName, ms: number) => void): void {
  table[op] = timedKernel(op, table[op], onKernel);
}

/** Wraps every kernel to report its wall time. */
function timedKernels(table: TfjsKernelTable, onKernel: (op: OpName, ms: number) => void): TfjsKernelTable {
  const out = { ...table };
  for (const op of ALL_OPS) timeKernel(out, op, onKernel);
  return out;
}

/** Creates a Swin backend on a registered tfjs backend (see TfjsBackendOptions). */
export async function createTfjsBackend(options: TfjsBackendOptions = {}): Promise<TfjsBackend> {
  if (Object.keys(tf.engine().registryFactory).length === 0) {
    throw new BackendError('UNKNOWN_BACKEND', 'no tfjs backend is registered: import @tensorflow/tfjs-backend-wasm (or -cpu, -webgl, -webgpu) first');
  }
  await tf.ready();
  const tfBackend = options.tfBackend ?? tf.getBackend();
  if (!tf.findBackendFactory(tfBackend)) {
    const known = Object.keys(tf.engine().registryFactory).join(', ') || 'none';
    throw new BackendError('UNKNOWN_BACKEND', `tfjs backend '${tfBackend}' is not registered: import its package first (registered: ${known})`);
  }
  await activate(tfBackend);
  const derived = new DerivedTensorCache();
  const inner = createKernelTableBackend<tf.Tensor, TfjsNativeComposite>({
    name: options.name ?? `tfjs-${tfBackend}`,
    kernels: options.onKernel ? timedKernels(createTfjsKernelTable({ derived }), options.onKernel) : createTfjsKernelTable({ derived }),
    dtypes: ['float32', 'int32'],
    upload: uploadTensor,
    download: downloadTensor,
    release: (t) => {
      derived.release(t);
      t.dispose();
    },
  });
  return {
    name: inner.name,
    capabilities: inner.capabilities,
    tfBackend,
    async compile(graph: Graph, compileOptions?: CompileOptions): Promise<KernelTableExecutable> {
      await activate(tfBackend);
      const exe = (await inner.compile(graph, compileOptions)) as KernelTableExecutable;
      return {
        graph: exe.graph,
        plan: exe.plan,
        async run(inputs) {
          await activate(tfBackend);
          try {
            return await exe.run(inputs);
          } catch (err) {
            throw asUnsupportedKernel(err, tfBackend);
          }
        },
        dispose() {
          exe.dispose();
        },
      };
    },
    async dispose() {
      derived.clear();
      await inner.dispose();
    },
  };
}
