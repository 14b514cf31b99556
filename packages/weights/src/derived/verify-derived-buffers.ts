import { dimAt, float16BitsToFloat32, formatShape, isDerivedBuffer, relativeOffsets, shapeSize, type WindowGrid } from '@swin/core';
import type { LazyTensor } from '../tensors/lazy-tensor.js';
import { expectedAttnMask, expectedAttnMaskSize, expectedRelativeCoordsTable, expectedRelativePositionIndex, tableWindow } from './expected-derived-buffers.js';

/** The outcome of checking derived buffers: what remains, what was dropped, what disagreed. */
export interface DerivedBufferCheck {
  readonly tensors: Map<string, LazyTensor>;
  readonly dropped: string[];
  readonly warnings: string[];
}

function numbers(t: LazyTensor): ArrayLike<number> {
  const d = t.load();
  if (d.dtype === 'int64') {
    // Index buffers are small non-negative ints: read the low words, and turn anything that does
    // not fit 32 bits into NaN (a mismatch) instead of converting every BigInt.
    const words = new Int32Array(d.data.buffer, d.data.byteOffset, d.data.length * 2);
    const out = new Float64Array(d.data.length);
    // words holds two int32s per element: 2i + 1 < words.length.
    for (let i = 0; i < out.length; i++) out[i] = words[2 * i + 1] === words[2 * i]! >> 31 ? words[2 * i]! : NaN;
    return out;
  }
  if (d.dtype === 'float16') return Array.from(d.data as Uint16Array, float16BitsToFloat32);
  return d.data as ArrayLike<number>;
}

/** Counts entries that differ by more than `tol`; a length difference counts as all differing. */
function mismatches(found: ArrayLike<number>, expected: ArrayLike<number>, tol: number): number {
  if (found.length !== expected.length) return Math.max(found.length, expected.length);
  let n = 0;
  // Same length (checked above).
  for (let i = 0; i < found.length; i++) if (!(Math.abs(found[i]! - expected[i]!) <= tol)) n++;
  return n;
}

/**
 * Derived buffers (relative_position_index, attn_mask, V2 relative_coords_table, the 2021 CrossFormer
 * code's attn.biases) are functions of the
 * architecture, so they are recomputed rather than trusted. Each stored one is compared with its
 * recomputation (a mismatch is a warning: it means the file came from a different variant of the
 * code, or is corrupt) and dropped. attn_mask buffers are checked against `shiftMasks`, the grid of
 * the family's stored shift masks (its descriptor's checkpoint.windowGrid), when it has one.
 */
export function verifyDerivedBuffers(tensors: ReadonlyMap<string, LazyTensor>, shiftMasks: WindowGrid | null): DerivedBufferCheck {
  const [gridH, gridW] = shiftMasks?.imageSize ?? [0, 0];
  const imgSize = JSON.stringify(gridH === gridW ? gridH : [gridH, gridW]);
  const kept = new Map<string, LazyTensor>();
  const dropped: string[] = [];
  const warnings: string[] = [];
  const cache = new Map<string, ArrayLike<number> | null>();
  const cached = (key: string, make: () => ArrayLike<number> | null) => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key)!;
  };
  for (const [name, t] of tensors) {
    if (!isDerivedBuffer(name)) {
      kept.set(name, t);
      continue;
    }
    dropped.push(name);
    let expected: ArrayLike<number> | null | undefined;
    let tol = 0;
    let m: RegExpExecArray | null;
    if ((m = /^(.*)\.relative_position_index$/.exec(name))) {
      // V1 tells the window by its bias table; V2 (no table) by its coordinate table; the 2021
      // CrossFormer code by its table of offsets (biases, [(2G-1)^2, 2]).
      const table = tensors.get(`${m[1]}.relative_position_bias_table`);
      const coords = tensors.get(`${m[1]}.relative_coords_table`);
      const offsets = tensors.get(`${m[1]}.biases`);
      const window = table
        ? tableWindow(table.shape[0])
        : coords?.shape.length === 4
          ? (dimAt(coords.shape, 1, `${m[1]}.relative_coords_table`) + 1) / 2
          : offsets?.shape.length === 2 && offsets.shape[1] === 2
            ? tableWindow(offsets.shape[0])
            : undefined;
      if (window === undefined) {
        warnings.push(`'${name}' not verified: no bias table beside it to tell its window`);
        continue;
      }
      // Sizes first: recomputing is only worth it (and only bounded by the file) when they agree.
      if (shapeSize(t.shape) !== window ** 4) {
        warnings.push(`derived buffer '${name}' has ${shapeSize(t.shape)} entries but a ${window}x${window} window needs ${window ** 4}; the recomputed one is used`);
        continue;
      }
      expected = cached(`index ${window}`, () => expectedRelativePositionIndex(window));
    } else if ((m = /^layers\.(\d+)\.blocks\.(\d+)\.attn_mask$/.exec(name)) && shiftMasks) {
      const size = expectedAttnMaskSize(shiftMasks, Number(m[1]), Number(m[2]));
      if (size !== null && size !== shapeSize(t.shape)) {
        warnings.push(`derived buffer '${name}' has ${shapeSize(t.shape)} entries but the recomputed one at img_size ${imgSize} has ${size}: the model was trained at another input size (set img_size); the recomputed one is used`);
        continue;
      }
      // Shifted blocks of one stage share their mask: computed once per stage (and block parity).
      const [stage, block] = [Number(m[1]), Number(m[2])];
      expected = cached(`mask ${stage} ${block % 2}`, () => expectedAttnMask(shiftMasks, stage, block));
      tol = 1e-3;
      if (expected === null) {
        warnings.push(`'${name}' is stored but block ${m[2]} of stage ${m[1]} has no shift at img_size ${imgSize}: the file was made for another input size (dropped)`);
        continue;
      }
    } else if (name.endsWith('.attn.biases')) {
      const group = t.shape.length === 2 && t.shape[1] === 2 ? tableWindow(t.shape[0]) : undefined;
      if (group === undefined) {
        warnings.push(`derived buffer '${name}' ${formatShape(t.shape)} is not a CrossFormer table of relative offsets [(2G-1)^2, 2]; the recomputed one is used`);
        continue;
      }
      expected = cached(`offsets ${group}`, () => relativeOffsets(group, group).data);
    } else if (name.endsWith('relative_coords_table') && t.shape.length === 4 && t.shape[1] === t.shape[2] && t.shape[3] === 2 && dimAt(t.shape, 1, name) % 2 === 1) {
      const window = (dimAt(t.shape, 1, name) + 1) / 2;
      if (window > 1) expected = expectedRelativeCoordsTable(window, t.load());
      tol = 1e-5;
    }
    if (!expected) continue;
    const found = numbers(t);
    const bad = mismatches(found, expected, tol);
    if (bad > 0) {
      warnings.push(`derived buffer '${name}' differs from the recomputed one in ${bad} of ${expected.length} entries; the recomputed one is used`);
    }
  }
  return { tensors: kept, dropped, warnings };
}
