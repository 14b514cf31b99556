// Graph -> Program: prepares the graph with core's passes (nothing is lowered: every op is
// native), plans fusions, and turns each fused group or remaining node into steps (one builder
// per op, in steps/) whose dispatches are laid out per batch size at bind time.

import { BackendError, prepareGraph, type Graph, type TensorData } from '@swin/core';
import { planFusion } from './fusion-plan.js';
import { NATIVE_OPS } from './native-ops.js';
import type { Program, ProgramStep } from './program.js';
import { nodeSteps } from './step-builders.js';
import { StepBuildContext } from './step-context.js';
import { attentionGroupSteps } from './steps/attention-steps.js';
import { conv2dNodeSteps } from './steps/conv2d-steps.js';
import { linearGroupSteps } from './steps/linear-steps.js';

/** Builds the WebGPU program for a graph. */
export function buildProgram(source: Graph): Program {
  const graph = prepareGraph(source, NATIVE_OPS);
  for (const v of graph.values.values()) {
    if (v.dtype !== 'float32' && v.dtype !== 'int32') {
      throw new BackendError('UNSUPPORTED_DTYPE', `backend 'webgpu' runs float32 and int32 graphs (float16 via the float16 option), found ${v.dtype} value '${v.name}'`);
    }
  }
  const fusion = planFusion(graph);
  const ctx = new StepBuildContext(graph);

  const steps: ProgramStep[] = [];
  for (const node of graph.nodes) {
    if (fusion.absorbed.has(node.output)) continue;
    const group = fusion.groups.get(node.output);
    if (!group) steps.push(...nodeSteps(ctx, node));
    else if (group.kind === 'linear') steps.push(...linearGroupSteps(ctx, group));
    else if (group.kind === 'attention') steps.push(...attentionGroupSteps(ctx, group));
    else steps.push(...conv2dNodeSteps(ctx, group.conv, group.output, true));
  }

  // The constants the steps read (graph or derived), and those a graph output is directly.
  const constants = new Map<string, TensorData>();
  const keep = (name: string) => {
    const t = ctx.constantData(name);
    if (t) constants.set(name, t);
  };
  for (const s of steps) for (const i of s.inputs) keep(i);
  const outputs = graph.outputs.map((o) => {
    const src = ctx.resolve(o.name);
    if (!constants.has(src)) keep(src);
    return { name: o.name, source: src };
  });
  const nominalBatch = graph.inputs[0]?.shape[0] ?? 1;
  return { graph, steps, values: ctx.values, constants, outputs, nominalBatch };
}
