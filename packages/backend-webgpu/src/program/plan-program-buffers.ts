import { planLiveness, type Graph, type GraphNode, type LivenessPlan, type ValueInfo } from '@swin/core';
import type { FloatType } from '../kernels/kernel-types.js';
import type { Program } from './program.js';

/**
 * Core's liveness plan over the program's steps rather than the graph's nodes: fused chains have
 * no intermediates, reshapes are aliases, and attention's qkv and context buffers appear as the
 * values they are. Floats are sized at the storage type (f16 halves every slot).
 */
export function planProgramBuffers(program: Program, float: FloatType): LivenessPlan {
  const values = new Map<string, ValueInfo>();
  for (const [name, v] of program.values) {
    values.set(name, float === 'f16' && v.dtype === 'float32' ? { ...v, dtype: 'float16' } : v);
  }
  // planLiveness reads only inputs, outputs and value types; the step label stands in for the op.
  const nodes = program.steps.map((s) => ({ op: s.label, name: s.output, inputs: s.inputs, output: s.output, attrs: {} }) as unknown as GraphNode);
  const seen = new Set<string>();
  const outputs = program.outputs.filter((o) => !seen.has(o.source) && seen.add(o.source)).map((o) => values.get(o.source)!);
  const view: Graph = { ...program.graph, nodes, values, outputs };
  return planLiveness(view);
}
