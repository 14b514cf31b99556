import { DTypeError, ShapeError, formatShape } from '../errors.js';
import { allocArray, type DType, type DTypeArrayMap, type TypedArray } from './dtype.js';
import { bfloat16BitsToFloat32, float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';

/** A dense row-major tensor: the unit of data every backend takes in and gives back. */
export interface TensorData<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: DTypeArrayMap[D];
}

/** Number of elements of a shape. */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!; // i < shape.length
  }
  return strides;
}

/** Wraps an array as a tensor, checking that its length matches the shape. */
export function tensor<D extends DType>(dtype: D, shape: readonly number[], data: DTypeArrayMap[D]): TensorData<D> {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`invalid shape ${formatShape(shape)}: dims must be non-negative integers`);
  }
  if (data.length !== shapeSize(shape)) {
    throw new ShapeError(`tensor data has ${data.length} elements, expected ${shapeSize(shape)} for shape ${formatShape(shape)}`);
  }
  return { dtype, shape: [...shape], data };
}

/** A zero-filled tensor. */
export function zeros<D extends DType>(dtype: D, shape: readonly number[]): TensorData<D> {
  return tensor(dtype, shape, allocArray(dtype, shapeSize(shape)));
}

/** A float32 tensor from numbers. */
export function float32(shape: readonly number[], values: ArrayLike<number>): TensorData<'float32'> {
  return tensor('float32', shape, Float32Array.from(values));
}

/** An int32 tensor from numbers. */
export function int32(shape: readonly number[], values: ArrayLike<number>): TensorData<'int32'> {
  return tensor('int32', shape, Int32Array.from(values));
}

/** Reads any tensor as float32 (float16 decoded, ints converted); shares the buffer when already float32. */
export function toFloat32(t: TensorData): TensorData<'float32'> {
  if (t.dtype === 'float32') return t as TensorData<'float32'>;
  const out = new Float32Array(t.data.length);
  // In these conversion loops i < src.length = out.length.
  if (t.dtype === 'float16') {
    const src = t.data as Uint16Array;
    for (let i = 0; i < src.length; i++) out[i] = float16BitsToFloat32(src[i]!);
  } else if (t.dtype === 'int64') {
    const src = t.data as BigInt64Array;
    for (let i = 0; i < src.length; i++) out[i] = Number(src[i]!);
  } else {
    out.set(t.data as Int32Array);
  }
  return { dtype: 'float32', shape: t.shape, data: out };
}

/** Converts a float tensor to float16 (round to nearest even). */
export function toFloat16(t: TensorData): TensorData<'float16'> {
  if (t.dtype === 'float16') return t as TensorData<'float16'>;
  const src = toFloat32(t).data;
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = float32ToFloat16Bits(src[i]!); // i < src.length
  return { dtype: 'float16', shape: t.shape, data: out };
}

/** Converts an integer tensor to int32, refusing values that do not fit. */
export function toInt32(t: TensorData): TensorData<'int32'> {
  if (t.dtype === 'int32') return t as TensorData<'int32'>;
  if (t.dtype !== 'int64') throw new DTypeError(`expected an integer tensor, found ${t.dtype}`);
  const src = t.data as BigInt64Array;
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!; // i < src.length
    if (v > 2147483647n || v < -2147483648n) throw new DTypeError(`int64 value ${v} at index ${i} does not fit in int32`);
    out[i] = Number(v);
  }
  return { dtype: 'int32', shape: t.shape, data: out };
}

/** Decodes bfloat16 bits into a float32 tensor (bfloat16 is a file format, not a compute dtype here). */
export function fromBfloat16Bits(shape: readonly number[], bits: Uint16Array): TensorData<'float32'> {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = bfloat16BitsToFloat32(bits[i]!); // i < bits.length
  return tensor('float32', shape, out);
}

/** Same data, another shape of equal size. */
export function reshapeTensor<D extends DType>(t: TensorData<D>, shape: readonly number[]): TensorData<D> {
  if (shapeSize(shape) !== t.data.length) {
    throw new ShapeError(`cannot reshape ${formatShape(t.shape)} (${t.data.length} elements) to ${formatShape(shape)}`);
  }
  return { dtype: t.dtype, shape: [...shape], data: t.data };
}

/** Asserts a tensor's shape, naming `what` in the error. */
export function assertShape(t: TensorData, expected: readonly number[], what: string): void {
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(`${what}: expected shape ${formatShape(expected)}, found ${formatShape(t.shape)}`);
  }
}

/** Byte length of a tensor's data. */
export function byteLength(t: TensorData): number {
  return (t.data as TypedArray).byteLength;
}
