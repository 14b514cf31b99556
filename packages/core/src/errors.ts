/** Machine-readable error codes; every error the library throws carries one. */
export type SwinErrorCode =
  | 'SHAPE_MISMATCH'
  | 'DTYPE_MISMATCH'
  | 'INVALID_ARGUMENT'
  | 'INVALID_CONFIG'
  | 'UNKNOWN_CONFIG_KEY'
  | 'MISSING_WEIGHT'
  | 'WEIGHT_SHAPE_MISMATCH'
  | 'UNEXPECTED_WEIGHT'
  | 'NON_FINITE_WEIGHT'
  | 'UNSUPPORTED_OP'
  | 'UNSUPPORTED_DTYPE'
  | 'UNKNOWN_BACKEND'
  | 'INVALID_FORMAT'
  | 'UNSAFE_PICKLE'
  | 'LIMIT_EXCEEDED'
  | 'IO_ERROR'
  | 'BACKEND_FAILURE'
  | 'DISPOSED';

/** Base class of every error thrown by @swin packages: a code plus a message naming expected vs found. */
export class SwinError extends Error {
  readonly code: SwinErrorCode;
  constructor(code: SwinErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A tensor shape differs from what an op or a file requires. */
export class ShapeError extends SwinError {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
  }
}

/** A tensor dtype differs from what an op or a file requires. */
export class DTypeError extends SwinError {
  constructor(message: string) {
    super('DTYPE_MISMATCH', message);
  }
}

/** A config is malformed, contradictory, or names a key we do not know. */
export class ConfigError extends SwinError {
  constructor(message: string, code: 'INVALID_CONFIG' | 'UNKNOWN_CONFIG_KEY' = 'INVALID_CONFIG') {
    super(code, message);
  }
}

/** A weight is missing, unexpected, or has the wrong shape for the architecture. */
export class WeightError extends SwinError {
  readonly weightName: string;
  constructor(code: 'MISSING_WEIGHT' | 'WEIGHT_SHAPE_MISMATCH' | 'UNEXPECTED_WEIGHT' | 'NON_FINITE_WEIGHT', weightName: string, message: string) {
    super(code, message);
    this.weightName = weightName;
  }
}

/** A file's bytes do not follow the format they claim (npy, safetensors, pickle, zip...). */
export class FormatError extends SwinError {
  /** Byte offset in the file where the problem was found, when known. */
  readonly offset: number | undefined;
  constructor(message: string, offset?: number, code: 'INVALID_FORMAT' | 'UNSAFE_PICKLE' | 'LIMIT_EXCEEDED' = 'INVALID_FORMAT') {
    super(code, offset === undefined ? message : `${message} (at byte offset ${offset})`);
    this.offset = offset;
  }
}

/** A backend cannot run something it was asked to run. */
export class BackendError extends SwinError {
  constructor(code: 'UNSUPPORTED_OP' | 'UNSUPPORTED_DTYPE' | 'UNKNOWN_BACKEND' | 'BACKEND_FAILURE' | 'DISPOSED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Formats a shape for messages: [2,3,224,224]. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
