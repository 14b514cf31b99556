import { WeightError, type TensorData } from '@swin/core';
import type { LazyTensor } from './lazy-tensor.js';
import { ScratchBuffer } from './scratch-buffer.js';

/** How many names a report lists (the count covers all). */
const NAMES_SHOWN = 5;

/** Non-finite values (NaN, +-Inf) found in a checkpoint's weights. */
export interface NonFiniteReport {
  /** Non-finite elements over all tensors. */
  readonly count: number;
  /** The first tensors holding any, in file order, with their counts (at most NAMES_SHOWN). */
  readonly tensors: readonly { readonly name: string; readonly count: number }[];
  /** Tensors holding any (may exceed `tensors.length`). */
  readonly tensorCount: number;
  /** Tensors looked at. */
  readonly tensorsScanned: number;
}

/** Non-finite elements of one tensor (float32 by bits, float16 by its exponent field); 0 for integers. */
export function countNonFinite(t: TensorData): number {
  let n = 0;
  // i < bits.length in both loops.
  if (t.dtype === 'float32') {
    const d = t.data as Float32Array;
    const bits = new Uint32Array(d.buffer, d.byteOffset, d.length);
    for (let i = 0; i < bits.length; i++) if ((bits[i]! & 0x7f800000) === 0x7f800000) n++;
  } else if (t.dtype === 'float16') {
    const bits = t.data as Uint16Array;
    for (let i = 0; i < bits.length; i++) if ((bits[i]! & 0x7c00) === 0x7c00) n++;
  }
  return n;
}

/** Tallies non-finite values tensor by tensor (loading, converting or scanning). */
export class NonFiniteTally {
  private count = 0;
  private tensorCount = 0;
  private scanned = 0;
  private readonly shown: { name: string; count: number }[] = [];

  add(name: string, t: TensorData): void {
    this.scanned++;
    const n = countNonFinite(t);
    if (n === 0) return;
    this.count += n;
    this.tensorCount++;
    if (this.shown.length < NAMES_SHOWN) this.shown.push({ name, count: n });
  }

  report(): NonFiniteReport {
    return { count: this.count, tensors: [...this.shown], tensorCount: this.tensorCount, tensorsScanned: this.scanned };
  }

  /** Throws the typed error a load gives for non-finite weights, unless there are none or they are allowed. */
  refuse(allowNonFinite: boolean | undefined): void {
    if (this.count === 0 || allowNonFinite) return;
    throw nonFiniteError(this.report());
  }
}

/** The one-line error for weights holding NaN or infinity: every output would be NaN or inf. */
export function nonFiniteError(r: NonFiniteReport): WeightError {
  const listed = r.tensors.map((t) => `'${t.name}' (${t.count})`).join(', ');
  const more = r.tensorCount > r.tensors.length ? ` and ${r.tensorCount - r.tensors.length} more tensors` : '';
  return new WeightError(
    'NON_FINITE_WEIGHT',
    r.tensors[0]?.name ?? '',
    `the weights hold ${r.count} non-finite values (NaN or infinity) in ${r.tensorCount} tensors: ${listed}${more}; expected finite weights (outputs would be NaN). Pass allowNonFinite (CLI: --allow-non-finite) to load them anyway`,
  );
}

/**
 * Scans tensors for non-finite values one at a time through one reused buffer, so memory stays
 * near the largest tensor whatever the checkpoint's size (what `swin info` reports).
 */
export function scanNonFinite(tensors: ReadonlyMap<string, LazyTensor>): NonFiniteReport {
  const tally = new NonFiniteTally();
  const scratch = new ScratchBuffer();
  for (const [name, t] of tensors) {
    if (t.dtype === 'float32' || t.dtype === 'float16' || t.dtype === 'bfloat16' || t.dtype === 'float64') tally.add(name, t.load(scratch));
  }
  return tally.report();
}
