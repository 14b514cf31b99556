import { SwinError } from '../errors.js';
import type { OpName } from './op-set.js';

// The named inputs of every op: one row per op, in the order GraphNode.inputs lists them.
// 'name?' is an optional input ('' in the node when absent), '...name' takes every input (concat).
// Graphs store inputs positionally (as ONNX does); everything that consumes a node (shape
// inference, decompositions, kernels, exporters) reads them by these names through bindInputs.
export const OP_INPUTS = {
  add: ['a', 'b'],
  sub: ['a', 'b'],
  mul: ['a', 'b'],
  div: ['a', 'b'],
  gelu: ['x'],
  relu: ['x'],
  sigmoid: ['x'],
  exp: ['x'],
  sqrt: ['x'],
  matmul: ['a', 'b'],
  layerNorm: ['x', 'gamma?', 'beta?'],
  softmax: ['x'],
  reshape: ['x'],
  transpose: ['x'],
  slice: ['x'],
  concat: ['...xs'],
  pad: ['x'],
  gather: ['data', 'indices'],
  conv2d: ['x', 'weight', 'bias?'],
  reduceMean: ['x'],
  reduceSum: ['x'],
  cast: ['x'],
  linear: ['x', 'weight', 'bias?'],
  windowPartition: ['x'],
  windowReverse: ['x'],
  windowAttention: ['x', 'qkvWeight', 'qkvBias?', 'projWeight', 'projBias?', 'attnBias'],
  patchMerging: ['x'],
} as const satisfies { readonly [O in OpName]: readonly string[] };

type Slots<O extends OpName> = (typeof OP_INPUTS)[O][number];
type RequiredSlot<S> = S extends `${string}?` | `...${string}` ? never : S;
type OptionalSlot<S> = S extends `${infer N}?` ? N : never;
type VariadicSlot<S> = S extends `...${infer N}` ? N : never;

/**
 * The inputs of op O by name, over a value type T (a tensor handle, a graph Value, a TypeInfo):
 * `InputsOf<'linear', T>` is `{ x: T; weight: T; bias?: T }`, `InputsOf<'concat', T>` is `{ xs: T[] }`.
 */
export type InputsOf<O extends OpName, T> = {
  readonly [S in Slots<O> as RequiredSlot<S>]: T;
} & {
  readonly [S in Slots<O> as OptionalSlot<S>]?: T | undefined;
} & {
  readonly [S in Slots<O> as VariadicSlot<S>]: readonly T[];
};

/**
 * Names a node's positional inputs (absent optional inputs as undefined) after the op's row in
 * OP_INPUTS, checking that every required input is present and none is extra. `where` names the
 * node or pass for the error. The one place that reads inputs by position.
 */
export function bindInputs<O extends OpName, T>(op: O, positional: readonly (T | undefined)[], where: string): InputsOf<O, T> {
  const slots: readonly string[] = OP_INPUTS[op];
  const named: Record<string, T | readonly T[] | undefined> = {};
  const first = slots[0];
  if (slots.length === 1 && first !== undefined && first.startsWith('...')) {
    positional.forEach((v, i) => {
      if (v === undefined) throw new SwinError('INVALID_ARGUMENT', `${where}: ${op} input ${i} is required but absent`);
    });
    named[first.slice(3)] = positional as readonly T[];
    return named as InputsOf<O, T>;
  }
  if (positional.length > slots.length) {
    throw new SwinError('INVALID_ARGUMENT', `${where}: ${op} takes ${slots.length} inputs (${slots.join(', ')}), found ${positional.length}`);
  }
  slots.forEach((slot, i) => {
    const v = positional[i];
    const optional = slot.endsWith('?');
    const name = optional ? slot.slice(0, -1) : slot;
    if (v === undefined && !optional) throw new SwinError('INVALID_ARGUMENT', `${where}: ${op} input '${name}' (#${i}) is required but absent`);
    named[name] = v;
  });
  return named as InputsOf<O, T>;
}
