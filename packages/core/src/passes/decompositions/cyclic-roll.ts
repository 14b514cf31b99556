import type { GraphBuilder, Value } from '../../graph/graph-builder.js';
import { dimAt } from '../../tensor/shape-dims.js';

/** torch.roll(x, shift, axis) with slices and a concat (ONNX and tfjs have no roll). */
export function cyclicRoll(b: GraphBuilder, x: Value, shift: number, axis: number): Value {
  const dim = dimAt(x.shape, axis, 'cyclic roll');
  const s = ((shift % dim) + dim) % dim;
  if (s === 0) return x;
  // roll by s moves the last s entries to the front.
  const tail = b.slice(x, { starts: [dim - s], ends: [dim], axes: [axis] }, 'roll_tail');
  const head = b.slice(x, { starts: [0], ends: [dim - s], axes: [axis] }, 'roll_head');
  return b.concat([tail, head], axis, 'roll');
}
