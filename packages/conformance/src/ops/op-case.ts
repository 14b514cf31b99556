import { SwinError, type OpAttrs, type OpName } from '@swin/core';

/** How an input's values are drawn (always from the case's seeded generator). */
export type InputFill =
  | { readonly kind: 'normal'; readonly scale?: number; readonly offset?: number }
  /** |N(0,1)| * scale + floor: for sqrt and other ops that need positive inputs. */
  | { readonly kind: 'positive'; readonly scale?: number; readonly floor?: number }
  /** sign * (floor + |N(0,1)|): denominators kept away from zero. */
  | { readonly kind: 'nonzero'; readonly floor?: number }
  /** Uniform integers in [low, high): gather indices. */
  | { readonly kind: 'integers'; readonly low: number; readonly high: number }
  /** 0 or -100 at random: the shifted-window mask pattern. */
  | { readonly kind: 'mask' }
  | { readonly kind: 'values'; readonly values: readonly number[] };

/** One input of an op case; `float` inputs take the case's dtype. */
export interface OpInputSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** 'float' follows the case's dtype; 'float32' stays float32 in float16 cases (cast inputs). */
  readonly type?: 'float' | 'float32' | 'int32';
  readonly fill?: InputFill;
}

/** One op-level conformance case: a single op applied to graph inputs (never constants, so nothing folds away). */
export interface OpCase<O extends OpName = OpName> {
  /** Unique and stable: `${op}/${label}`. */
  readonly id: string;
  readonly op: O;
  readonly title: string;
  readonly dtype: 'float32' | 'float16';
  /** Inputs in op order; null marks an absent optional input. */
  readonly inputs: readonly (OpInputSpec | null)[];
  readonly attrs: OpAttrs[O];
  /** Length of the sums the op computes (sets the tolerance of accumulating ops). */
  readonly reduction?: number;
  readonly seed: number;
}

/** Declares a case; `label` becomes part of the id. */
export function opCase<O extends OpName>(
  op: O,
  label: string,
  inputs: readonly (OpInputSpec | null)[],
  attrs: OpAttrs[O],
  extra: { title?: string; reduction?: number; dtype?: 'float32' | 'float16'; seed?: number } = {},
): OpCase<O> {
  const dtype = extra.dtype ?? 'float32';
  const id = `${op}/${label}${dtype === 'float16' ? '/f16' : ''}`;
  return {
    id,
    op,
    title: extra.title ?? label,
    dtype,
    inputs,
    attrs,
    ...(extra.reduction !== undefined ? { reduction: extra.reduction } : {}),
    seed: extra.seed ?? hashSeed(id),
  };
}

/** The same case with float16 values (id suffixed /f16). */
export function asFloat16<O extends OpName>(c: OpCase<O>): OpCase<O> {
  const id = `${c.id}/f16`;
  return { ...c, id, dtype: 'float16', seed: hashSeed(id) };
}

/** The float16 copy of `cases[index]` (each op also checks one of its cases in float16). */
export function float16Of(cases: readonly OpCase[], index: number): OpCase {
  const c = cases[index];
  if (!c) throw new SwinError('INVALID_ARGUMENT', `conformance: no case ${index} to copy in float16 (${cases.length} cases)`);
  return asFloat16(c);
}

/** A float input. */
export function f(name: string, shape: readonly number[], fill?: InputFill): OpInputSpec {
  return fill ? { name, shape, fill } : { name, shape };
}

/** A float32 input even in a float16 case. */
export function f32(name: string, shape: readonly number[], fill?: InputFill): OpInputSpec {
  return fill ? { name, shape, type: 'float32', fill } : { name, shape, type: 'float32' };
}

/** An int32 input. */
export function i32(name: string, shape: readonly number[], fill: InputFill): OpInputSpec {
  return { name, shape, type: 'int32', fill };
}

/** FNV-1a of the id: every case gets its own reproducible data, independent of case order. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
