import { SwinError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import { planLiveness } from '../passes/liveness-plan.js';

/**
 * The allocation budget: before a large buffer whose size a flag, a config or a file drives (masks,
 * position tables, head weights, activations, decoded pictures) is allocated, its size is checked
 * against one limit, so a wrong size fails with a one-line error naming it instead of exhausting
 * memory or surfacing as a RangeError from a typed-array constructor.
 *
 * Inside `withAllocationScope`, the sizes checked add up: a graph build whose masks are each small
 * but together too large is refused at the allocation that crosses the limit, before it is made.
 *
 * The limit is process-wide. In a browser nothing tells how much memory is free, so the default is a
 * fixed DEFAULT_ALLOCATION_LIMIT; a Node program sets it from the memory actually available (the
 * CLI: half the available memory, or --max-memory / SWIN_MAX_MEMORY).
 */

/** Default limit when nobody set one: 4 GiB (also about the largest typed array V8 allows everywhere). */
export const DEFAULT_ALLOCATION_LIMIT = 4 * 1024 ** 3;

let limit = DEFAULT_ALLOCATION_LIMIT;
let scope: { what: string; bytes: number } | undefined;

/** An allocation (or an operation's total) would exceed the limit. */
export class AllocationLimitError extends SwinError {
  /** Bytes that were asked for (the running total when a scope's sum crossed the limit). */
  readonly bytes: number;
  readonly limit: number;
  constructor(message: string, bytes: number, limitBytes: number) {
    super('LIMIT_EXCEEDED', message);
    this.bytes = bytes;
    this.limit = limitBytes;
  }
}

/** Sizes for messages: 12.3 GB, 640.0 MB, 17 bytes (decimal units, as `ls -h --si` and the issue tracker write them). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} bytes`;
  if (bytes >= 1e12) return `${(bytes / 1e12).toFixed(1)} TB`;
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

/** Sets the limit in bytes (a positive number; Infinity disables the check). */
export function setAllocationLimit(bytes: number): void {
  if (!(bytes > 0)) throw new SwinError('INVALID_ARGUMENT', `allocation limit: expected a positive number of bytes, found ${bytes}`);
  limit = bytes;
}

/** The current limit in bytes. */
export function allocationLimit(): number {
  return limit;
}

/**
 * Checks that `bytes` for `what` (e.g. "shift mask [4096,1,49,49] float32") fit the limit, and, in a
 * scope, that the scope's running total does; throws AllocationLimitError naming the size otherwise.
 * Call it before allocating.
 */
export function checkAllocation(bytes: number, what: string): void {
  if (!Number.isFinite(bytes) || bytes > limit) {
    throw new AllocationLimitError(`${what} needs ${formatBytes(bytes)}, more than the memory limit of ${formatBytes(limit)}`, bytes, limit);
  }
  if (scope) {
    scope.bytes += bytes;
    if (scope.bytes > limit) {
      throw new AllocationLimitError(
        `${scope.what} needs more than ${formatBytes(scope.bytes)} (reached at ${what}, ${formatBytes(bytes)}), more than the memory limit of ${formatBytes(limit)}`,
        scope.bytes,
        limit,
      );
    }
  }
}

/** checkAllocation for a Float32Array of `elements`, then the allocation itself. */
export function allocateFloat32(elements: number, what: string): Float32Array {
  checkAllocation(elements * 4, what);
  return new Float32Array(elements);
}

/**
 * Runs `fn` with the sizes it checks adding up to one total for `what` (e.g. "building the graph").
 * Scopes nest by joining the outer one: the outermost operation is what the limit bounds.
 */
export function withAllocationScope<T>(what: string, fn: () => T): T {
  if (scope) return fn();
  scope = { what, bytes: 0 };
  try {
    return fn();
  } finally {
    scope = undefined;
  }
}

/**
 * What running a graph takes at its nominal batch: its constants (a backend copies them: ONNX
 * serialises them, tfjs and WebGPU upload them) plus its node outputs with buffers reused between
 * values whose lifetimes do not overlap (the liveness plan). Constant folding evaluates nodes over
 * constants like any other, so they are counted among the node outputs.
 */
export function graphMemoryBytes(graph: Graph): number {
  let constants = 0;
  for (const t of graph.constants.values()) constants += t.data.byteLength;
  return constants + planLiveness(graph).totalBytes;
}

/** checkAllocation of graphMemoryBytes: a graph that cannot fit is refused before it is compiled. */
export function checkGraphMemory(graph: Graph, what: string): void {
  const bytes = graphMemoryBytes(graph);
  if (bytes > limit) checkAllocation(bytes, `${what} (${graph.nodes.length} ops, constants plus activations at batch ${batchOf(graph)})`);
}

function batchOf(graph: Graph): number | string {
  return graph.inputs[0]?.shape[0] ?? '?';
}
