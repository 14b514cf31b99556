import { BackendError, DTypeError, ShapeError, SwinError, formatShape } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import { runKernel, type KernelLookup, type KernelTable } from '../ops/kernel.js';
import { ALL_OPS, type OpName, type PrimitiveOp } from '../ops/op-set.js';
import { planLiveness, type LivenessPlan } from '../passes/liveness-plan.js';
import { prepareGraph } from '../passes/prepare-graph.js';
import type { DType } from '../tensor/dtype.js';
import type { TensorData } from '../tensor/tensor.js';
import type { Backend, BackendCapabilities, CompileOptions, Executable } from './backend.js';

export type { Kernel, KernelContext, KernelLookup, KernelTable, KernelsFor } from '../ops/kernel.js';

/** Everything a kernel-table backend provides. */
export interface KernelTableSpec<T, O extends OpName = OpName> {
  readonly name: string;
  /** Every primitive plus the composites O the backend runs natively (the rest are lowered by core). */
  readonly kernels: KernelTable<T, O>;
  readonly dtypes: readonly DType[];
  /** Moves host data into the backend's handle type. */
  upload(t: TensorData): T | Promise<T>;
  /** Reads a handle back to host memory. */
  download(v: T): TensorData | Promise<TensorData>;
  /** Frees a handle (called for intermediates after their last use, and for constants on dispose). */
  release?(v: T): void;
  /** Backend teardown. */
  dispose?(): void | Promise<void>;
}

/** A compiled kernel-table program: the prepared graph and its liveness plan, exposed for inspection. */
export interface KernelTableExecutable extends Executable {
  readonly graph: Graph;
  readonly plan: LivenessPlan;
}

/** Checks run-time inputs against the graph: names, dtypes, and shapes (dim 0 free when the batch is dynamic). */
export function validateInputs(graph: Graph, inputs: Record<string, TensorData>): void {
  for (const info of graph.inputs) {
    const t = inputs[info.name];
    if (!t) throw new SwinError('INVALID_ARGUMENT', `missing input '${info.name}': expected ${info.dtype} ${formatShape(info.shape)}`);
    if (t.dtype !== info.dtype) throw new DTypeError(`input '${info.name}': expected ${info.dtype}, found ${t.dtype}`);
    const ok = t.shape.length === info.shape.length && t.shape.every((d, i) => d === info.shape[i] || (i === 0 && graph.dynamicBatch && d > 0));
    if (!ok) {
      const want = graph.dynamicBatch ? `[N,${info.shape.slice(1).join(',')}]` : formatShape(info.shape);
      throw new ShapeError(`input '${info.name}': expected shape ${want}, found ${formatShape(t.shape)}`);
    }
  }
  const known = new Set(graph.inputs.map((i) => i.name));
  for (const name of Object.keys(inputs)) {
    if (!known.has(name)) throw new SwinError('INVALID_ARGUMENT', `unknown input '${name}': expected ${[...known].join(', ')}`);
  }
}

/**
 * Builds a Backend from a kernel table: compile prepares the graph (lowering what the table lacks,
 * folding constants), uploads constants once, and run interprets nodes in order, releasing each
 * intermediate after its last reader.
 */
export function createKernelTableBackend<T, O extends OpName = PrimitiveOp>(spec: KernelTableSpec<T, O>): Backend {
  const kernels: KernelLookup<T> = spec.kernels;
  const ops = new Set<OpName>(ALL_OPS.filter((op) => kernels[op] !== undefined));
  const capabilities: BackendCapabilities = { ops, dtypes: new Set(spec.dtypes) };
  let disposed = false;
  return {
    name: spec.name,
    capabilities,
    async compile(source: Graph, options?: CompileOptions): Promise<KernelTableExecutable> {
      if (disposed) throw new BackendError('DISPOSED', `backend '${spec.name}' was disposed`);
      const graph = prepareGraph(source, ops);
      for (const node of graph.nodes) {
        if (!ops.has(node.op)) throw new BackendError('UNSUPPORTED_OP', `backend '${spec.name}' has no kernel for op '${node.op}' (node '${node.name}')`);
      }
      for (const v of graph.values.values()) {
        if (!capabilities.dtypes.has(v.dtype)) throw new BackendError('UNSUPPORTED_DTYPE', `backend '${spec.name}' does not support dtype ${v.dtype} (value '${v.name}')`);
      }
      const plan = planLiveness(graph);
      const constants = new Map<string, T>();
      let done = 0;
      for (const [name, t] of graph.constants) {
        constants.set(name, await spec.upload(t));
        options?.onProgress?.(++done, graph.constants.size, 'upload weights');
      }
      let alive = true;
      return {
        graph,
        plan,
        async run(inputs) {
          if (!alive) throw new BackendError('DISPOSED', `executable on '${spec.name}' was disposed`);
          validateInputs(graph, inputs);
          const env = new Map<string, T>(constants);
          // Handles this run created, with how many live values refer to each: a kernel may return
          // one of its inputs (a no-op reshape), and that handle must be released once, when the
          // last value naming it dies. Constants belong to the executable and are never counted.
          const refs = new Map<T, number>();
          const constantHandles = new Set(constants.values());
          const hold = (name: string, handle: T) => {
            env.set(name, handle);
            if (!constantHandles.has(handle)) refs.set(handle, (refs.get(handle) ?? 0) + 1);
          };
          const drop = (name: string) => {
            const handle = env.get(name);
            env.delete(name);
            if (handle === undefined || constantHandles.has(handle)) return;
            const n = (refs.get(handle) ?? 1) - 1;
            if (n > 0) refs.set(handle, n);
            else {
              refs.delete(handle);
              spec.release?.(handle);
            }
          };
          try {
            // validateInputs checked that every graph input is given.
            for (const info of graph.inputs) hold(info.name, await spec.upload(inputs[info.name]!));
            for (const [i, node] of graph.nodes.entries()) {
              const args = node.inputs.map((n) => (n === '' ? undefined : env.get(n)));
              hold(node.output, await runKernel(kernels, node, args, { node, output: graph.values.get(node.output)! }));
              for (const dead of plan.releaseAfter[i]!) drop(dead); // one list per node
            }
            const result: Record<string, TensorData> = {};
            for (const o of graph.outputs) result[o.name] = await spec.download(env.get(o.name)!);
            return result;
          } finally {
            for (const handle of refs.keys()) spec.release?.(handle);
          }
        },
        dispose() {
          if (!alive) return;
          alive = false;
          for (const v of constants.values()) spec.release?.(v);
          constants.clear();
        },
      };
    },
    async dispose() {
      disposed = true;
      await spec.dispose?.();
    },
  };
}
