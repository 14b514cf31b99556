import { FormatError } from '@swin/core';
import type { StoredDType } from '../dtypes/stored-dtype.js';
import { PyObject } from '../pickle/python-values.js';
import type { StorageLocation, ViewSpec } from '../tensors/strided-view.js';

/** torch's typed storage classes (as pickled: `torch.FloatStorage`) and what they hold. */
export const TORCH_STORAGE_TYPES: Readonly<Record<string, StoredDType>> = {
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  DoubleStorage: 'float64',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
  // torch >= 2 may pickle untyped storages; their elements are bytes and the tensor gives the dtype.
  UntypedStorage: 'uint8',
};

/** torch dtype objects (as pickled: `torch.float32`), for _rebuild_tensor_v3. */
export const TORCH_DTYPES: Readonly<Record<string, StoredDType>> = {
  float32: 'float32',
  float: 'float32',
  float16: 'float16',
  half: 'float16',
  bfloat16: 'bfloat16',
  float64: 'float64',
  double: 'float64',
  int64: 'int64',
  long: 'int64',
  int32: 'int32',
  int: 'int32',
  int16: 'int16',
  short: 'int16',
  int8: 'int8',
  uint8: 'uint8',
  bool: 'bool',
};

/**
 * A storage a checkpoint refers to by key. Its bytes are located by the container format (a zip
 * entry, or a position in a legacy file) once the pickle has been read.
 */
export class TorchStorageRef extends PyObject {
  location: StorageLocation | undefined;
  constructor(
    readonly key: string,
    readonly dtype: StoredDType,
    /** Element count the pickle declares; checked against the bytes actually present. */
    readonly declaredNumel: number,
    /** File offset where the pickle first names the storage, for error messages. */
    readonly pickleOffset: number,
  ) {
    super();
  }
  describe(): string {
    return `storage '${this.key}' (${this.dtype})`;
  }
  /** The resolved location; the reader resolves every storage before tensors are used. */
  resolved(): StorageLocation {
    if (!this.location) throw new FormatError(`storage '${this.key}' has no data in the file`, this.pickleOffset);
    return this.location;
  }
}

/** A tensor as _rebuild_tensor_v2 describes it: a strided view of a storage. */
export class TorchTensorRef extends PyObject {
  constructor(
    readonly storage: TorchStorageRef,
    readonly view: ViewSpec,
    /** Element type of the view (differs from the storage's only for v3 over untyped bytes). */
    readonly dtype: StoredDType,
  ) {
    super();
  }
  describe(): string {
    return `tensor (${this.dtype}, [${this.view.shape.join(',')}])`;
  }
}
