import type { PreprocessSpec } from '@swin/core';
import type { LoadedWeights, LoadOptions } from '@swin/weights';
import type { BackendProviders } from './backend-choice.js';
import type { PlatformDecoder } from './image-input.js';
import type { ResolvedSource } from './model-source.js';
import type { LoadModelOptions } from './types.js';

/** A checkpoint read from wherever it was, with what was found beside it. */
export interface ReadCheckpoint {
  readonly loaded: LoadedWeights;
  /** Where it came from, for info and messages. */
  readonly where: string;
  /** Class names found beside the weights (classes.json, a hub config). */
  readonly labels?: readonly string[];
  readonly labelsWhere?: string;
  /** Preprocessing found beside the weights (preprocess.json). */
  readonly preprocess?: PreprocessSpec;
}

/** What differs between Node and browsers: where bytes come from, how pictures decode, which backends exist. */
export interface Platform {
  readonly isNode: boolean;
  readonly backends: BackendProviders;
  readonly decodeImage: PlatformDecoder;
  /** Reads a source that needs I/O: a variant, hf:, URL or (Node) path. */
  readCheckpoint(source: Exclude<ResolvedSource, { kind: 'bytes' | 'weights' | 'blob' }>, options: LoadModelOptions, load: LoadOptions): Promise<ReadCheckpoint>;
}
