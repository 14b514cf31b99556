import type { StoredDType } from '../dtypes/stored-dtype.js';

/** safetensors dtype codes we read, and the stored dtype each is. */
export const SAFETENSORS_DTYPES: Readonly<Record<string, StoredDType>> = {
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  F64: 'float64',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
};

/** The safetensors code of each stored dtype. */
export const SAFETENSORS_CODE: Readonly<Record<StoredDType, string>> = {
  float32: 'F32',
  float16: 'F16',
  bfloat16: 'BF16',
  float64: 'F64',
  int64: 'I64',
  int32: 'I32',
  int16: 'I16',
  int8: 'I8',
  uint8: 'U8',
  bool: 'BOOL',
};
