import { BackendError, type TensorData } from '@swin/core';

/**
 * The output `name` of a run: a backend that returned outputs without it is a typed error naming
 * what it did return, rather than an undefined flowing on.
 */
export function outputOf(outputs: Readonly<Record<string, TensorData>>, name: string): TensorData {
  const t = outputs[name];
  if (!t) throw new BackendError('BACKEND_FAILURE', `the backend returned no output '${name}': found ${Object.keys(outputs).join(', ') || 'none'}`);
  return t;
}
