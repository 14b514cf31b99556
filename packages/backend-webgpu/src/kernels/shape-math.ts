import { BackendError, formatShape, stridesOf } from '@swin/core';

/** Highest tensor rank the generic index kernels handle (Swin's lowered graphs reach 6). */
export const MAX_RANK = 6;

/** The uniform type of a rank walk's dims or strides: MAX_RANK u32s (uniform-layout.ts). */
export const RANK_LIST = { list: 'u32', length: MAX_RANK } as const;

/** Refuses ranks the index kernels cannot decompose. */
export function checkRank(shape: readonly number[], what: string): void {
  if (shape.length > MAX_RANK) {
    throw new BackendError('UNSUPPORTED_OP', `webgpu: ${what} has rank ${shape.length} (${formatShape(shape)}); the index kernels handle rank <= ${MAX_RANK}`);
  }
}

/**
 * Left-pads a (dims, strides) pair to MAX_RANK with size-1 axes, so shaders always walk
 * MAX_RANK axes from the innermost out.
 */
export function padToMaxRank(dims: readonly number[], strides: readonly number[]): { dims: number[]; strides: number[] } {
  const pad = MAX_RANK - dims.length;
  return { dims: [...new Array<number>(pad).fill(1), ...dims], strides: [...new Array<number>(pad).fill(0), ...strides] };
}

/** Strides of `inShape` as seen from a broadcast to `outShape` (0 on broadcast axes). */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const padded = [...new Array<number>(rank - inShape.length).fill(1), ...inShape];
  const strides = stridesOf(padded);
  // strides has one entry per axis of padded.
  return padded.map((d, i) => (d === 1 && outShape[i] !== 1 ? 0 : strides[i]!));
}

/**
 * Merges neighbouring axes that are contiguous in every listed stride set, so index kernels
 * decompose fewer axes (a transpose of [B,H,W,C] to [B,C,H,W] walks 3 axes, an add of two
 * same-shape tensors walks 1).
 */
export function coalesceAxes<const S extends readonly (readonly number[])[]>(dims: readonly number[], strideSets: S): { dims: number[]; strides: { -readonly [K in keyof S]: number[] } } {
  sameRank(dims, strideSets, 'coalesceAxes');
  const outDims: number[] = [];
  const outStrides = strideSets.map((): number[] => []);
  // Every stride set has dims.length entries (checked above), outStrides one list per set, and
  // last indexes the newest merged axis: all indices below are in range.
  for (let a = 0; a < dims.length; a++) {
    const d = dims[a]!;
    if (d === 1) continue;
    const last = outDims.length - 1;
    const mergeable = last >= 0 && strideSets.every((s, k) => outStrides[k]![last] === s[a]! * d);
    if (mergeable) {
      outDims[last] = outDims[last]! * d;
      strideSets.forEach((s, k) => (outStrides[k]![last] = s[a]!));
    } else {
      outDims.push(d);
      strideSets.forEach((s, k) => outStrides[k]!.push(s[a]!));
    }
  }
  const merged = outDims.length === 0 ? { dims: [1], strides: strideSets.map(() => [0]) } : { dims: outDims, strides: outStrides };
  // map() keeps one entry per stride set, in order: the tuple type S describes exactly that.
  return merged as { dims: number[]; strides: { -readonly [K in keyof S]: number[] } };
}

/** Refuses per-axis lists whose length differs from the rank of `dims` (a typed error, not a NaN offset). */
function sameRank(dims: readonly number[], lists: readonly (readonly number[])[], what: string): void {
  const bad = lists.find((l) => l.length !== dims.length);
  if (bad) throw new BackendError('BACKEND_FAILURE', `webgpu: ${what}: a per-axis list of ${bad.length} for rank ${dims.length}`);
}

/** Sum over axes of a[i] * b[i]: an element offset from per-axis indices and strides. */
export function dotAxes(a: readonly number[], b: readonly number[], what: string): number {
  sameRank(a, [b], what);
  // Same length (checked above).
  return a.reduce((acc, v, i) => acc + v * b[i]!, 0);
}

/** a[i] * b[i] per axis (strides scaled by slice steps). */
export function mulAxes(a: readonly number[], b: readonly number[], what: string): number[] {
  sameRank(a, [b], what);
  // Same length (checked above).
  return a.map((v, i) => v * b[i]!);
}
