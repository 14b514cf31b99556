import type { StepBuilder } from './step-builder.js';

/** A reshape is a view: its output names its input's buffer, and nothing runs. */
export const reshapeSteps: StepBuilder<'reshape'> = (ctx, node, { x }) => {
  ctx.alias(node.output, x);
  return [];
};
