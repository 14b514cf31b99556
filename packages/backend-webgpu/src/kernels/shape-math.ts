import { BackendError, formatShape } from '@swin/core';

/** Highest tensor rank the generic index kernels handle (Swin's lowered graphs reach 6). */
export const MAX_RANK = 6;

/** Row-major strides in elements. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Product of dims. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

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
  const strides = contiguousStrides(padded);
  return padded.map((d, i) => (d === 1 && outShape[i] !== 1 ? 0 : strides[i]!));
}

/**
 * Merges neighbouring axes that are contiguous in every listed stride set, so index kernels
 * decompose fewer axes (a transpose of [B,H,W,C] to [B,C,H,W] walks 3 axes, an add of two
 * same-shape tensors walks 1).
 */
export function coalesceAxes<const S extends readonly (readonly number[])[]>(dims: readonly number[], strideSets: S): { dims: number[]; strides: { -readonly [K in keyof S]: number[] } } {
  const outDims: number[] = [];
  const outStrides = strideSets.map((): number[] => []);
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
