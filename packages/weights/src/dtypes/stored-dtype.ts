import type { DType } from '@swin/core';

/**
 * Element types as checkpoint files store them. Loading maps each onto a @swin/core dtype:
 * float32, float16, int64 and int32 as they are; bfloat16 and float64 to float32 (bfloat16 widens
 * exactly; float64 weights are rounded, a note says so); narrow integers and bool to int32.
 */
export type StoredDType = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** Bytes per element of each stored dtype. */
export const STORED_DTYPE_BYTES: Readonly<Record<StoredDType, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** The @swin/core dtype a stored dtype loads as. */
export function loadedDType(stored: StoredDType): DType {
  switch (stored) {
    case 'float32':
    case 'bfloat16':
    case 'float64':
      return 'float32';
    case 'float16':
      return 'float16';
    case 'int64':
      return 'int64';
    default:
      return 'int32';
  }
}

/** True for the floating-point stored dtypes. */
export function isFloatDType(d: StoredDType | DType): boolean {
  return d === 'float32' || d === 'float16' || d === 'bfloat16' || d === 'float64';
}
