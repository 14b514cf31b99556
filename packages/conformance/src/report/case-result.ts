import type { DType, OpName } from '@swin/core';
import type { Tolerance } from './tolerance.js';

/** Outcome of one case. `unsupported` means the backend declined it with a typed error (or core cannot build the model). */
export type CaseStatus = 'pass' | 'fail' | 'unsupported' | 'error';

/** Error of one compared tensor. */
export interface OutputError {
  readonly name: string;
  readonly shape: readonly number[];
  readonly maxAbs: number;
  /** maxAbs divided by the largest |expected| value: the error relative to the tensor's scale. */
  readonly maxRel: number;
  /** What the output was compared with. */
  readonly reference: 'reference-executor' | 'float64-fixture' | 'float32-fixture';
  readonly pass: boolean;
}

/** One row of the report: an op case or a model case. */
export interface CaseResult {
  readonly id: string;
  readonly kind: 'op' | 'model';
  /** The op under test (op cases). */
  readonly op?: OpName;
  /** The model name (model cases). */
  readonly model?: string;
  readonly title: string;
  readonly dtype: DType;
  readonly status: CaseStatus;
  /** A required case that is unsupported fails the suite; optional ones (float16, models core cannot build) are reported only. */
  readonly required: boolean;
  /** For composites: the backend ran the op itself (listed in capabilities.ops) rather than core's decomposition. */
  readonly native?: boolean;
  readonly maxAbs?: number;
  readonly maxRel?: number;
  readonly tolerance: Tolerance;
  readonly outputs?: readonly OutputError[];
  readonly message?: string;
  /** Wall time of compile + run, for orientation only (never asserted). */
  readonly durationMs: number;
}
