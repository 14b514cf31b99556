/** Element types a tensor may hold. int64 appears only where a file holds it (converted on load). */
export type DType = 'float32' | 'float16' | 'int32' | 'int64';

/** The typed array that stores each dtype (float16 as raw IEEE half bits). */
export interface DTypeArrayMap {
  float32: Float32Array;
  float16: Uint16Array;
  int32: Int32Array;
  int64: BigInt64Array;
}

export type TypedArray = DTypeArrayMap[DType];

/** Bytes per element. */
export const DTYPE_BYTES: Readonly<Record<DType, number>> = { float32: 4, float16: 2, int32: 4, int64: 8 };

/** Allocates a zeroed array for `dtype`. */
export function allocArray<D extends DType>(dtype: D, length: number): DTypeArrayMap[D] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length) as DTypeArrayMap[D];
    case 'float16':
      return new Uint16Array(length) as DTypeArrayMap[D];
    case 'int32':
      return new Int32Array(length) as DTypeArrayMap[D];
    case 'int64':
      return new BigInt64Array(length) as DTypeArrayMap[D];
  }
  throw new Error(`unknown dtype ${String(dtype)}`);
}
