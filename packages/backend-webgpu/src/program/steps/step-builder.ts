import type { GraphNode, InputsOf, OpName } from '@swin/core';
import type { ProgramStep } from '../program.js';
import type { StepBuildContext } from '../step-context.js';

/** Turns one node of op O (its inputs by name, as value names) into program steps. */
export type StepBuilder<O extends OpName> = (ctx: StepBuildContext, node: GraphNode<O>, inputs: InputsOf<O, string>) => ProgramStep[];

/** Positive modulo, so a negative shift becomes the equivalent forward roll. */
export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
