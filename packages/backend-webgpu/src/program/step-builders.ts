import { BackendError, type GraphNode, type OpName } from '@swin/core';
import type { ProgramStep } from './program.js';
import type { StepBuildContext } from './step-context.js';
import { windowAttentionSteps } from './steps/attention-steps.js';
import { concatSteps } from './steps/concat-steps.js';
import { conv2dSteps } from './steps/conv2d-steps.js';
import { binarySteps, castSteps, unarySteps } from './steps/elementwise-steps.js';
import { gatherSteps } from './steps/gather-steps.js';
import { linearSteps } from './steps/linear-steps.js';
import { matmulSteps } from './steps/matmul-steps.js';
import { padSteps } from './steps/pad-steps.js';
import { reduceSteps } from './steps/reduce-steps.js';
import { reshapeSteps } from './steps/reshape-steps.js';
import { layerNormSteps, softmaxSteps } from './steps/row-norm-steps.js';
import { sliceSteps } from './steps/slice-steps.js';
import type { StepBuilder } from './steps/step-builder.js';
import { transposeSteps } from './steps/transpose-steps.js';
import { patchMergingSteps, windowPartitionSteps, windowReverseSteps } from './steps/window-layout-steps.js';

/** Every op's step builder: the backend runs every op natively, and tsc checks none is missing. */
export const STEP_BUILDERS: { readonly [O in OpName]: StepBuilder<O> } = {
  add: binarySteps,
  sub: binarySteps,
  mul: binarySteps,
  div: binarySteps,
  gelu: unarySteps,
  relu: unarySteps,
  sigmoid: unarySteps,
  exp: unarySteps,
  sqrt: unarySteps,
  matmul: matmulSteps,
  layerNorm: layerNormSteps,
  softmax: softmaxSteps,
  reshape: reshapeSteps,
  transpose: transposeSteps,
  slice: sliceSteps,
  concat: concatSteps,
  pad: padSteps,
  gather: gatherSteps,
  conv2d: conv2dSteps,
  reduceMean: reduceSteps,
  reduceSum: reduceSteps,
  cast: castSteps,
  linear: linearSteps,
  windowPartition: windowPartitionSteps,
  windowReverse: windowReverseSteps,
  windowAttention: windowAttentionSteps,
  patchMerging: patchMergingSteps,
};

/** The steps of one unfused node, from its op's builder. */
export function nodeSteps<O extends OpName>(ctx: StepBuildContext, node: GraphNode<O>): ProgramStep[] {
  const build: StepBuilder<O> | undefined = STEP_BUILDERS[node.op];
  if (!build) throw new BackendError('UNSUPPORTED_OP', `backend 'webgpu' has no kernel for op '${node.op}' (node '${node.name}')`);
  return build(ctx, node, ctx.graphInputs(node));
}
