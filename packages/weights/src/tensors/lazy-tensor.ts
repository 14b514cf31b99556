import { allocArray, dimAt, formatShape, shapeSize, ShapeError, tensor, type TensorData } from '@swin/core';
import { loadedDType, type StoredDType } from '../dtypes/stored-dtype.js';
import type { ScratchBuffer } from './scratch-buffer.js';

/**
 * A tensor known by dtype and shape whose data is read only when asked. Readers hand these out so
 * a converter can stream a checkpoint tensor by tensor, and renames, fusions and resizes compose
 * without touching data until the writer pulls it.
 */
export interface LazyTensor {
  /** The element type as stored in the file (what `load` decodes from). */
  readonly dtype: StoredDType;
  readonly shape: readonly number[];
  /**
   * Reads and decodes the data (see loadedDType for the resulting dtype). Each call reads again.
   * With a scratch buffer the data may live in it, valid only until the next load given the same one.
   */
  load(scratch?: ScratchBuffer): TensorData;
}

/** Wraps tensor data already in memory. */
export function eagerTensor(t: TensorData): LazyTensor {
  return { dtype: t.dtype, shape: t.shape, load: () => t };
}

/** The same data seen with another shape of equal size. */
export function reshapeLazy(t: LazyTensor, shape: readonly number[]): LazyTensor {
  if (shapeSize(shape) !== shapeSize(t.shape)) throw new ShapeError(`cannot reshape ${formatShape(t.shape)} to ${formatShape(shape)}`);
  return {
    dtype: t.dtype,
    shape: [...shape],
    load: (scratch) => {
      const d = t.load(scratch);
      return { dtype: d.dtype, shape: [...shape], data: d.data };
    },
  };
}

/** Concatenates along dim 0 (Hugging Face's query/key/value back into one qkv); shapes must agree past dim 0. */
export function concatLazy(parts: readonly LazyTensor[]): LazyTensor {
  const [first] = parts;
  if (!first) throw new ShapeError('cannot concatenate no tensors along dim 0');
  const rest = first.shape.slice(1);
  for (const p of parts) {
    if (p.shape.length !== first.shape.length || p.shape.slice(1).some((d, i) => d !== rest[i])) {
      throw new ShapeError(`cannot concatenate ${parts.map((q) => formatShape(q.shape)).join(', ')} along dim 0`);
    }
  }
  const sameType = parts.every((p) => loadedDType(p.dtype) === loadedDType(first.dtype));
  // Mixed dtypes only arise in odd files; widen everything to float32 then.
  const dtype: StoredDType = sameType ? first.dtype : 'float32';
  const shape = [parts.reduce((n, p) => n + dimAt(p.shape, 0, 'concatenated tensor'), 0), ...rest];
  return {
    dtype,
    shape,
    load: () => {
      const target = loadedDType(dtype);
      const out = allocArray(target, shapeSize(shape));
      let at = 0;
      for (const p of parts) {
        let d = p.load();
        if (d.dtype !== target) d = { dtype: 'float32', shape: d.shape, data: Float32Array.from(d.data as ArrayLike<number>) };
        (out as Float32Array).set(d.data as Float32Array, at);
        at += d.data.length;
      }
      return tensor(target, shape, out);
    },
  };
}

/** Rows [start, end) along dim 0 (torchvision's one 3C qkv bias into Swin V2's q and v biases). */
export function sliceRowsLazy(t: LazyTensor, start: number, end: number): LazyTensor {
  const rows = t.shape[0] ?? 0;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= rows)) {
    throw new ShapeError(`cannot take rows ${start}..${end} of ${formatShape(t.shape)}`);
  }
  const shape = [end - start, ...t.shape.slice(1)];
  const inner = shapeSize(t.shape.slice(1));
  return {
    dtype: t.dtype,
    shape,
    load: () => {
      const d = t.load();
      return tensor(d.dtype, shape, d.data.slice(start * inner, end * inner) as never);
    },
  };
}

/** A tensor computed from others on load (resizes, new heads). */
export function derivedLazy(dtype: StoredDType, shape: readonly number[], compute: () => TensorData): LazyTensor {
  return { dtype, shape: [...shape], load: compute };
}

/** Loads every tensor of a map, in order. */
export function materialize(tensors: ReadonlyMap<string, LazyTensor>): Map<string, TensorData> {
  const out = new Map<string, TensorData>();
  for (const [name, t] of tensors) out.set(name, t.load());
  return out;
}
