import type { TensorData, WeightMap } from '@swin/core';

/** One expected output of a fixture, flat in the fixture's layout (same memory order as ours). */
export interface ExpectedOutput {
  /** Output name as the Swin builder knows it: logits, pooled, norm_out, embed, stage{i}_out, stage{i}_block{j}. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array;
  readonly precision: 'float64' | 'float32';
}

/** A fixture's contents, loaded on demand. */
export interface LoadedModelFixture {
  /** Constructor arguments (official names, plus family) that override what the weights reveal. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly weights: WeightMap;
  /** NCHW float32 pixels. */
  readonly input: TensorData;
  readonly expected: readonly ExpectedOutput[];
}

/**
 * A PyTorch reference model: weights, input and outputs. Listing is cheap; `load` reads the files
 * (a browser can implement it with fetch, Node with fs: see @swin/conformance/node).
 */
export interface ModelFixture {
  readonly name: string;
  /** Where it comes from, e.g. 'fixtures' (ours) or 'official' (the Microsoft code's). */
  readonly source: string;
  /** Model family from its config or manifest; core builds 'swin_v1'. */
  readonly family: string;
  readonly description?: string;
  load(): Promise<LoadedModelFixture>;
}

/** Thrown by a fixture's `load` when nothing can read its checkpoint format here: reported as unsupported. */
export class CheckpointReaderUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointReaderUnavailable';
  }
}
