import { dimAt, dimsOf, type GraphNode } from '@swin/core';
import { attr } from '../onnx/onnx-attributes.js';
import type { EmitTarget } from './emit-primitives.js';
import type { OnnxGraphEmitter, OnnxValue } from './onnx-graph-emitter.js';
import { reshape } from './reshape.js';
import { patchMergingIndices, windowPartitionIndices, windowReverseIndices } from './token-permutations.js';

/**
 * [B, T, C] -> [B, idx.length, C] by one Gather on the token axis, or nothing when the indices keep
 * every token in place: a window as large as the map, unshifted (Swin-T's last stage at 224²), moves
 * nothing, and onnxruntime would still copy the tensor.
 */
function gatherTokens(em: OnnxGraphEmitter, tokens: OnnxValue, key: string, make: () => Int32Array): OnnxValue {
  const [b, t, c] = dimsOf(tokens.shape, 3, 'token matrix');
  const indices = make();
  if (isIdentity(indices, t)) return tokens;
  const idx = em.indices(key, () => indices);
  return em.node('Gather', [tokens, idx], { dtype: tokens.dtype, shape: [b, dimAt(idx.shape, 0, 'token indices'), c] }, [attr.int('axis', 1)]);
}

function isIdentity(indices: Int32Array, tokens: number): boolean {
  return indices.length === tokens && indices.every((v, i) => v === i);
}

/** Roll + window partition as Reshape, Gather, Reshape. */
export function emitWindowPartition(em: OnnxGraphEmitter, node: GraphNode<'windowPartition'>, out: EmitTarget): void {
  const { x } = em.inputs(node);
  const [, h, w, c] = dimsOf(x.shape, 4, 'windowPartition input');
  const [wh, ww] = node.attrs.window;
  const [sh, sw] = node.attrs.shift;
  const tokens = reshape(em, x, [-1, h * w, c]);
  const moved = gatherTokens(em, tokens, `part:${h}x${w}:${wh}x${ww}:${sh},${sw}`, () => windowPartitionIndices(h, w, wh, ww, sh, sw));
  reshape(em, moved, [-1, wh * ww, c], out);
}

/** Window reverse + roll back as Reshape, Gather, Reshape. */
export function emitWindowReverse(em: OnnxGraphEmitter, node: GraphNode<'windowReverse'>, out: EmitTarget): void {
  const { x } = em.inputs(node);
  const c = dimAt(x.shape, 2, 'windowReverse input');
  const { height: h, width: w } = node.attrs;
  const [wh, ww] = node.attrs.window;
  const [sh, sw] = node.attrs.shift;
  const tokens = reshape(em, x, [-1, h * w, c]);
  const moved = gatherTokens(em, tokens, `rev:${h}x${w}:${wh}x${ww}:${sh},${sw}`, () => windowReverseIndices(h, w, wh, ww, sh, sw));
  reshape(em, moved, [-1, h, w, c], out);
}

/** 2x2 patch merging as (Pad when odd,) Reshape, Gather, Reshape: the four phases land side by side on channels. */
export function emitPatchMerging(em: OnnxGraphEmitter, node: GraphNode<'patchMerging'>, out: EmitTarget): void {
  let { x } = em.inputs(node);
  const [b, h, w, c] = dimsOf(x.shape, 4, 'patchMerging input');
  if (h % 2 || w % 2) {
    const shape = [b, h + (h % 2), w + (w % 2), c];
    x = em.node('Pad', [x, em.int64s([0, 0, 0, 0, 0, h % 2, w % 2, 0]), em.scalar(0, x.dtype)], { dtype: x.dtype, shape }, [attr.string('mode', 'constant')]);
  }
  const [, hp, wp] = dimsOf(x.shape, 4, 'padded patchMerging input');
  const tokens = reshape(em, x, [-1, hp * wp, c]);
  const moved = gatherTokens(em, tokens, `merge:${hp}x${wp}`, () => patchMergingIndices(hp, wp));
  reshape(em, moved, [-1, hp / 2, wp / 2, 4 * c], out);
}
