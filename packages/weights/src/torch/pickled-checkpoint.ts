import type { PyValue } from '../pickle/python-values.js';
import type { TorchStorageRef } from './torch-storage.js';

/** What a torch reader hands on: the unpickled object, with every storage it names located. */
export interface PickledCheckpoint {
  readonly root: PyValue;
  /** File offset of the pickle that holds the object, for error messages. */
  readonly rootOffset: number;
  readonly storages: ReadonlyMap<string, TorchStorageRef>;
}
