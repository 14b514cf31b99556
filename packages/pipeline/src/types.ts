import type { Backend, ModelConfig, ModelFamily, PreprocessSpec, SwinError, TensorData } from '@swin/core';

/** What loadModel accepts: a variant name, `hf:<repo>[@revision]`, an http(s) URL, a file path (Node), bytes, a Blob, or weights already in memory. */
export type ModelSource = string | URL | ArrayBuffer | Uint8Array | Blob | ReadonlyMap<string, TensorData>;

/** Progress of loadModel: bytes of a download (total undefined when the server does not say), then compile steps. */
export interface LoadProgress {
  readonly phase: 'download' | 'compile';
  readonly done: number;
  readonly total: number | undefined;
  /** What is being downloaded (a URL) or compiled (a backend's step). */
  readonly label: string;
}

/** How loadModel finds, downloads and runs a model. */
export interface LoadModelOptions {
  /** 'auto' (default: the fastest backend this platform has), a registered backend name, or a Backend object from any package. */
  readonly backend?: string | Backend;
  /** Compute dtype where the backend supports it (default float32). */
  readonly dtype?: 'float32' | 'float16';
  /** Model input [height, width] (or one side for square); default the checkpoint's training size. */
  readonly inputSize?: number | readonly [number, number];
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Aborts downloads and compiles: the promise rejects with an AbortError; a partial download stays resumable. */
  readonly signal?: AbortSignal;
  /** Use and fill the download cache (default true): Cache Storage in browsers, the `swin fetch` directory in Node. */
  readonly cache?: boolean;
  /** Architecture overrides (official constructor names), for what the weights cannot reveal. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Class names of the head (default: the checkpoint's metadata, then ImageNet-1k for 1000 classes). */
  readonly labels?: readonly string[];
  /** Picture preprocessing (default: the official evaluation transform at the input size). */
  readonly preprocess?: PreprocessSpec;
  /** Hugging Face hub base URL for `hf:` sources (default $HF_ENDPOINT, else https://huggingface.co). */
  readonly hubUrl?: string;
  /** Expected sha256 of a URL source (variants carry their own where published). */
  readonly sha256?: string;
  /** Largest download accepted, in bytes (default: from the variant's size, else 4 GiB). */
  readonly maxDownloadBytes?: number;
  /** Overall deadline of one download in ms (default 30 minutes); a stalled connection fails after 60 s regardless. */
  readonly downloadTimeoutMs?: number;
  /** Load weights holding NaN or infinity (refused by default: every output would be NaN). */
  readonly allowNonFinite?: boolean;
  /** Largest picture decoded, in pixels (default 64 million), checked from its header before decoding. */
  readonly maxPixels?: number;
  /** Compile the default graph during loadModel, so the first classify is not the slow one (default true). */
  readonly warmup?: boolean;
}

/** What a loaded model is. */
export interface ModelInfo {
  readonly family: ModelFamily;
  readonly config: ModelConfig;
  readonly parameters: number;
  /** Multiply-accumulates of one picture at inputSize. */
  readonly macs: number;
  /** The backend running it (with 'auto', the one chosen). */
  readonly backend: string;
  /** How the backend was chosen: 'auto' or 'explicit'. */
  readonly backendChoice: 'auto' | 'explicit';
  readonly dtype: 'float32' | 'float16';
  readonly inputSize: readonly [number, number];
  readonly preprocess: PreprocessSpec;
  readonly labels: readonly string[] | undefined;
  /** Where the weights came from (a variant id, URL, path, hf: id, or 'bytes' / 'weights'). */
  readonly source: string;
  /** File format and naming scheme of the checkpoint. */
  readonly format: string;
  readonly scheme: string;
  readonly warnings: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** Decoded pixels anywhere: 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA) channels, 8 bits, row-major. */
export interface PixelImage {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
}

/**
 * A picture: pixels or an NCHW float32 tensor (already preprocessed) anywhere; in Node a path or the
 * bytes of an encoded file (decoded by sharp); in browsers a URL, Blob/File, HTMLImageElement,
 * HTMLCanvasElement, OffscreenCanvas, ImageBitmap, ImageData or VideoFrame.
 */
export type ImageInput = string | URL | Blob | Uint8Array | ArrayBuffer | PixelImage | TensorData | ImageData | ImageBitmap | OffscreenCanvas | HTMLImageElement | HTMLCanvasElement | VideoFrame;

/** One class of a classification. */
export interface ClassScore {
  readonly label: string;
  /** Softmax probability. */
  readonly score: number;
  readonly index: number;
  readonly logit: number;
}

export interface ClassifyOptions {
  /** How many classes per picture (default 5). */
  readonly topk?: number;
  /** Pictures per backend run (default 8). */
  readonly batchSize?: number;
  /** Pictures done (classified or failed) of the total, after each batch. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One picture's outcome in classifyEach: its top classes, or why it has none. */
export type ClassifyResult = { readonly top: ClassScore[] } | { readonly error: SwinError };

export interface FeaturesOptions {
  /** Which stages (0-based; default all). */
  readonly stages?: readonly number[];
  /** NHWC (the model's own) or NCHW (what detection necks take); default NCHW. */
  readonly layout?: 'NHWC' | 'NCHW';
}
