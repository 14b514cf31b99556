import { shapeSize, type Graph, type GraphNode, type InputsOf, type OpName, type TensorData, type ValueInfo } from '@swin/core';
import type { DispatchSpec } from '../kernels/kernel-types.js';
import { transposeMatrix } from './host-transpose.js';
import { nodeInputs } from './node-inputs.js';
import type { ProgramStep, StepEnv } from './program.js';

/**
 * What step builders share while a graph becomes a program: the value types (step builders add
 * their scratch values), the reshape aliases (a reshape is a view: its output names its input's
 * buffer), and constants derived on the host (K-major weight copies).
 */
export class StepBuildContext {
  readonly values: Map<string, ValueInfo>;
  private readonly aliases = new Map<string, string>();
  private readonly derived = new Map<string, TensorData>();

  constructor(readonly graph: Graph) {
    this.values = new Map(graph.values);
  }

  /** The buffer a value lives in: itself, or what the reshape it came from views. */
  resolve(name: string): string {
    let r = name;
    for (let next = this.aliases.get(r); next !== undefined; next = this.aliases.get(r)) r = next;
    return r;
  }

  /** resolve() for an optional input: undefined stays undefined. */
  optional(name: string | undefined): string | undefined {
    return name === undefined || name === '' ? undefined : this.resolve(name);
  }

  /** Makes `name` a view of `target`'s buffer (no dispatch). */
  alias(name: string, target: string): void {
    this.aliases.set(name, this.resolve(target));
  }

  /** Declares a scratch value a step writes, typed like `like` with `shape`. */
  addValue(name: string, like: ValueInfo, shape: readonly number[]): void {
    this.values.set(name, { name, dtype: like.dtype, shape });
  }

  /** A node's input value names by name (core's OP_INPUTS); absent optional inputs are undefined. */
  graphInputs<O extends OpName>(node: GraphNode<O>): InputsOf<O, string> {
    return nodeInputs(node);
  }

  /** The nominal type of a value. */
  valueInfo(name: string): ValueInfo {
    const v = this.values.get(name);
    if (!v) throw new Error(`webgpu program: no type for value '${name}'`);
    return v;
  }

  /** The data of a graph or derived constant. */
  constantData(name: string): TensorData | undefined {
    return this.graph.constants.get(name) ?? this.derived.get(name);
  }

  /** The K-major copy of a constant [N, K] weight (made once), or undefined when the weight is computed. */
  kMajor(weight: string): string | undefined {
    const src = this.resolve(weight);
    const t = this.graph.constants.get(src);
    if (!t || t.shape.length !== 2) return undefined;
    const name = `${src}::kmajor`;
    if (!this.derived.has(name)) {
      const tt = transposeMatrix(t);
      this.derived.set(name, tt);
      this.values.set(name, { name, dtype: 'float32', shape: tt.shape });
    }
    return name;
  }

  /** A step reading `reads` (absent ones skipped, aliases resolved) and writing `output`; empty outputs dispatch nothing. */
  step(label: string, reads: readonly (string | undefined)[], output: string, make: (env: StepEnv) => DispatchSpec[]): ProgramStep {
    return {
      label,
      inputs: reads.filter((r): r is string => r !== undefined && r !== '').map((r) => this.resolve(r)),
      output,
      dispatches: (env) => (shapeSize(env.shape(output)) === 0 ? [] : make(env)),
    };
  }
}
