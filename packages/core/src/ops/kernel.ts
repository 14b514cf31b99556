import { SwinError } from '../errors.js';
import { bindInputs, type InputsOf } from './op-inputs.js';
import type { OpAttrs, OpName, PrimitiveOp } from './op-set.js';
import type { TypeInfo } from './shape-inference.js';

/** What a kernel sees besides its inputs: which node it runs, and its static output type. */
export interface KernelContext {
  readonly node: { readonly name: string; readonly op: OpName };
  /** Static output type at the nominal batch (dim 0 may differ at run time). */
  readonly output: TypeInfo;
}

/**
 * One op's implementation over a backend's tensor handle type T: named inputs, the op's
 * attributes. R is what it returns: T or a promise of T (the reference kernels are synchronous, R = T).
 */
export type Kernel<T, O extends OpName = OpName, R = T | Promise<T>> = (inputs: InputsOf<O, T>, attrs: OpAttrs[O], ctx: KernelContext) => R;

/** Kernels for exactly the ops O: a group of kernels a backend assembles its table from. */
export type KernelsFor<T, O extends OpName, R = T | Promise<T>> = { readonly [K in O]: Kernel<T, K, R> };

/**
 * A backend's complete kernel table: every primitive (the contract requires them all) plus the
 * composites O it runs natively; tsc rejects a table that misses one. Composites not in O are
 * lowered by core.
 */
export type KernelTable<T, O extends OpName = PrimitiveOp, R = T | Promise<T>> = KernelsFor<T, O | PrimitiveOp, R>;

/** Any kernel table, looked up by op at run time. */
export type KernelLookup<T, R = T | Promise<T>> = { readonly [K in OpName]?: Kernel<T, K, R> };

/** The node fields a kernel call needs (a GraphNode has them). */
export interface KernelCall<O extends OpName> {
  readonly op: O;
  readonly name: string;
  readonly attrs: OpAttrs[O];
}

/**
 * Runs `node`'s kernel from `kernels` on positional input handles (undefined = absent optional
 * input), which it names through the op's row in OP_INPUTS. Throws UNSUPPORTED_OP when the table
 * lacks the op.
 */
export function runKernel<T, R, O extends OpName>(kernels: KernelLookup<T, R>, node: KernelCall<O>, inputs: readonly (T | undefined)[], ctx: KernelContext): R {
  const kernel: Kernel<T, O, R> | undefined = kernels[node.op];
  if (!kernel) throw new SwinError('UNSUPPORTED_OP', `no kernel for op '${node.op}' (node '${node.name}')`);
  return kernel(bindInputs(node.op, inputs, `node '${node.name}'`), node.attrs, ctx);
}
