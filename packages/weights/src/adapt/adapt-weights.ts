import { checkAllocation, formatShape, getModelFamily, modelWeightShapes, shapeSize, stageResolutions, WeightError, zeros, type ModelConfig, type WindowGrid } from '@swin/core';
import { tableWindow } from '../derived/expected-derived-buffers.js';
import { derivedLazy, type LazyTensor } from '../tensors/lazy-tensor.js';
import { resizeAbsolutePositionEmbeddingLazy, resizeRelativePositionBiasLazy } from './resize-position-tables.js';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Fits canonical weights to a target architecture, tensor by tensor, in the official state_dict
 * order: tensors whose shape already matches pass through; for a family that can be adapted (its
 * descriptor's checkpoint.adapt: Swin V1), bias tables of another window and position embeddings of
 * another grid are resized (bicubic); the head is kept, dropped,
 * or replaced by zeros of the new size. Anything else that is missing or mis-shaped is an error
 * naming the weight; so is a weight the architecture does not have (a checkpoint recognised but
 * not fully mapped must not run), and a head weight without its bias or the reverse. With
 * target = source this is the validation every load goes through, for every family.
 */
export function adaptWeights(tensors: ReadonlyMap<string, LazyTensor>, source: ModelConfig, target: ModelConfig, warnings: string[]): Map<string, LazyTensor> {
  // A head is a weight and a bias: one without the other is a broken file, not a headless model
  // (taking it as headless would answer pooled features where logits were asked for).
  const headWeight = tensors.has('head.weight');
  if (headWeight !== tensors.has('head.bias')) {
    const [has, lacks] = headWeight ? ['head.weight', 'head.bias'] : ['head.bias', 'head.weight'];
    throw new WeightError('MISSING_WEIGHT', lacks, `missing weight '${lacks}': the checkpoint has '${has}' ${formatShape(tensors.get(has)!.shape)} but not '${lacks}'`);
  }
  const out = new Map<string, LazyTensor>();
  const resized = new Map<string, number>();
  // Position tables are resized on the family's window grid, when it can be adapted at all.
  const rules = getModelFamily(target.family).checkpoint;
  const grids: [WindowGrid, WindowGrid] | undefined =
    source.family === target.family && rules.adapt && rules.windowGrid ? [rules.windowGrid(source), rules.windowGrid(target)] : undefined;
  for (const [name, shape] of modelWeightShapes(target)) {
    const t = tensors.get(name);
    if (name === 'head.weight' || name === 'head.bias') {
      if (t && sameShape(t.shape, shape)) {
        out.set(name, t);
      } else {
        if (name === 'head.weight') {
          warnings.push(t ? `head resized from ${t.shape[0]} to ${shape[0]} classes: the new head is zero-initialised (train it)` : `no head in the checkpoint: a zero-initialised ${shape[0]}-class head is added (train it)`);
        }
        checkAllocation(shapeSize(shape) * 4, `a zero-initialised '${name}' ${formatShape(shape)}`);
        out.set(name, derivedLazy('float32', shape, () => zeros('float32', shape)));
      }
      continue;
    }
    if (!t) throw new WeightError('MISSING_WEIGHT', name, `missing weight '${name}': expected shape ${formatShape(shape)}`);
    if (sameShape(t.shape, shape)) {
      out.set(name, t);
      continue;
    }
    const fromWindow = tableWindow(t.shape[0]);
    const toWindow = tableWindow(shape[0]);
    if (grids && name.endsWith('.attn.relative_position_bias_table') && t.shape.length === 2 && t.shape[1] === shape[1] && fromWindow && toWindow) {
      // The resize holds the resized planes, their transposed copy and a float64 row pass: ~8 bytes per output value and head.
      checkAllocation(shapeSize(shape) * 8 + (2 * toWindow - 1) * (2 * fromWindow - 1) * 8, `resizing '${name}' to ${formatShape(shape)} (window ${toWindow})`);
      out.set(name, resizeRelativePositionBiasLazy(t, toWindow, name));
      const key = `${2 * fromWindow - 1}x${2 * fromWindow - 1} -> ${2 * toWindow - 1}x${2 * toWindow - 1}`;
      resized.set(key, (resized.get(key) ?? 0) + 1);
      continue;
    }
    if (grids && name === 'absolute_pos_embed' && t.shape.length === 3 && t.shape[2] === shape[2]) {
      const [from, to] = grids.map((g) => stageResolutions(g.imageSize[0], g.imageSize[1], g.patchSize, 1)[0]);
      if (!from || !to) continue;
      if (from[0] * from[1] === t.shape[1]) {
        checkAllocation(shapeSize(shape) * 8 + to[0] * from[1] * 8, `resizing '${name}' to ${formatShape(shape)} (a ${to[0]}x${to[1]} token grid)`);
        out.set(name, resizeAbsolutePositionEmbeddingLazy(t, from, to, name));
        warnings.push(`absolute_pos_embed resized from a ${from[0]}x${from[1]} to a ${to[0]}x${to[1]} token grid (bicubic)`);
        continue;
      }
    }
    throw new WeightError('WEIGHT_SHAPE_MISMATCH', name, `weight '${name}': expected shape ${formatShape(shape)}, found ${formatShape(t.shape)}`);
  }
  for (const [key, n] of resized) warnings.push(`relative position bias tables resized ${key} (bicubic) in ${n} blocks`);
  // The head is dropped only when the caller asked for no head; anything else left over means the
  // checkpoint was recognised but not fully mapped, and running it would give wrong answers.
  const headDropped = (n: string) => n.startsWith('head.') && target.num_classes === 0 && source.num_classes > 0;
  const extra = [...tensors.keys()].filter((n) => !out.has(n) && !headDropped(n));
  const [firstExtra] = extra;
  if (firstExtra !== undefined) {
    const shown = extra.slice(0, 8).map((n) => `'${n}' ${formatShape(tensors.get(n)!.shape)}`).join(', ');
    throw new WeightError(
      'UNEXPECTED_WEIGHT',
      firstExtra,
      `${extra.length} weights are not part of the ${target.family} architecture inferred from this checkpoint: ${shown}${extra.length > 8 ? ', ...' : ''}; the file is another model, or a variant whose names are not mapped`,
    );
  }
  if ([...tensors.keys()].some(headDropped)) warnings.push('head dropped (num_classes 0): the model outputs pooled features');
  return out;
}
