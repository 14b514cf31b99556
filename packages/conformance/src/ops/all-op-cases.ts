import { ALL_OPS, type OpName } from '@swin/core';
import { compositeCases } from './composite-cases.js';
import type { OpCase } from './op-case.js';
import { primitiveCases } from './primitive-cases.js';

/** Every op case of the suite, primitives first; throws if an op of the contract has no case. */
export function allOpCases(): OpCase[] {
  const cases = [...primitiveCases(), ...compositeCases()];
  const covered = new Set<OpName>(cases.map((c) => c.op));
  const missing = ALL_OPS.filter((op) => !covered.has(op));
  if (missing.length) throw new Error(`conformance: ops without cases: ${missing.join(', ')}`);
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`conformance: duplicate case id ${c.id}`);
    ids.add(c.id);
  }
  return cases;
}
