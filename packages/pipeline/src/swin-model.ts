import { buildModelGraph, dimAt, dimsOf, normalizeToTensor, resizeAndCrop, SwinError, toFloat32, type Backend, type Executable, type RgbImage, type TensorData, type WeightMap } from '@swin/core';
import { throwIfAborted } from './abort.js';
import { prepareImage, type DecodeOptions, type PlatformDecoder, type PreparedImage } from './image-input.js';
import { outputOf } from './run-outputs.js';
import { topK } from './top-k.js';
import type { ClassifyOptions, ClassifyResult, ClassScore, FeaturesOptions, ImageInput, ModelInfo } from './types.js';

/** Input tensors of a run and which pictures (by position in the caller's list) their rows are. */
interface Batch {
  readonly input: TensorData<'float32'>;
  readonly pictures: readonly number[];
}

/** What a SwinModel is made of; loadModel assembles it. */
export interface SwinModelParts {
  readonly weights: WeightMap;
  readonly info: ModelInfo;
  readonly backend: Backend;
  readonly ownsBackend: boolean;
  readonly decode: PlatformDecoder;
  readonly decodeOptions: DecodeOptions;
  readonly signal?: AbortSignal;
  readonly onCompileProgress?: (done: number, total: number, label: string) => void;
}

/** A loaded model on one backend: classify, features, raw runs. Compiled graphs are cached per input size and outputs; any batch runs on them. */
export class SwinModel {
  readonly info: ModelInfo;
  private readonly parts: SwinModelParts;
  private readonly compiled = new Map<string, Promise<Executable>>();
  private disposed = false;

  constructor(parts: SwinModelParts) {
    this.parts = parts;
    this.info = parts.info;
  }

  /** Compiles (once per input size and output set) the graph that returns `outputs`. */
  private executable(inputSize: readonly [number, number], outputs: readonly string[]): Promise<Executable> {
    if (this.disposed) throw new SwinError('DISPOSED', 'this model was disposed');
    const key = `${inputSize[0]}x${inputSize[1]}:${outputs.join(',')}`;
    let exe = this.compiled.get(key);
    if (!exe) {
      const built = buildModelGraph(this.info.config, this.parts.weights, { inputSize: [inputSize[0], inputSize[1]], outputs });
      exe = this.parts.backend.compile(built.graph, { dtype: this.info.dtype, ...(this.parts.onCompileProgress ? { onProgress: this.parts.onCompileProgress } : {}) });
      exe.catch(() => this.compiled.delete(key));
      this.compiled.set(key, exe);
    }
    return exe;
  }

  /** Compiles the default graph now (loadModel calls this so the first classify is not the slow one). */
  async warm(): Promise<void> {
    await this.executable(this.info.inputSize, [this.info.config.num_classes > 0 ? 'logits' : 'pooled']);
  }

  /** Runs the graph on an NCHW float32 tensor and returns the named outputs (default logits, or pooled when headless). */
  async run(input: TensorData, outputs?: readonly string[]): Promise<Record<string, TensorData>> {
    if (input.dtype !== 'float32' || input.shape.length !== 4 || input.shape[1] !== 3) {
      throw new SwinError('INVALID_ARGUMENT', `run: expected a float32 NCHW [N, 3, H, W] tensor, found ${input.dtype} [${input.shape.join(', ')}]`);
    }
    const [, , height, width] = dimsOf(input.shape, 4, 'run input');
    const names = outputs ?? [this.info.config.num_classes > 0 ? 'logits' : 'pooled'];
    const exe = await this.executable([height, width], names);
    return exe.run({ input });
  }

  /**
   * Turns pictures into input tensors of the model's size, `batchSize` at a time. Each picture is
   * decoded and cut down to the input size at once, so a batch holds only input-sized pieces
   * whatever the pictures' sizes. A picture that fails (a SwinError: undecodable, too large) goes
   * to `onBadPicture` when given, else the error is thrown.
   */
  private async *batches(images: ImageInput | readonly ImageInput[], batchSize: number, onBadPicture?: (picture: number, error: SwinError) => void): AsyncGenerator<Batch> {
    const list = Array.isArray(images) ? (images as readonly ImageInput[]) : [images as ImageInput];
    if (list.length === 0) throw new SwinError('INVALID_ARGUMENT', 'expected at least one picture, found none');
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new SwinError('INVALID_ARGUMENT', `batchSize must be a positive integer, found ${batchSize}`);
    const spec = this.info.preprocess;
    let pending: { picture: number; image: RgbImage }[] = [];
    const flush = (): Batch => {
      const batch = { input: normalizeToTensor(pending.map((p) => p.image), spec.mean, spec.std, spec.rescaleFactor), pictures: pending.map((p) => p.picture) };
      pending = [];
      return batch;
    };
    for (const [picture, input] of list.entries()) {
      throwIfAborted(this.parts.signal, 'classification');
      let prepared: PreparedImage;
      try {
        prepared = await prepareImage(input, this.parts.decode, this.parts.decodeOptions);
        if (prepared.kind === 'rgb') pending.push({ picture, image: resizeAndCrop(prepared.image, spec) });
      } catch (err) {
        if (!onBadPicture || !(err instanceof SwinError)) throw err;
        onBadPicture(picture, err);
        continue;
      }
      if (prepared.kind === 'tensor') {
        if (pending.length > 0) yield flush();
        yield { input: prepared.tensor, pictures: Array.from({ length: dimAt(prepared.tensor.shape, 0, 'picture tensor') }, () => picture) };
      } else if (pending.length === batchSize) yield flush();
    }
    if (pending.length > 0) yield flush();
  }

  /**
   * The top classes of each picture, one result per picture in order: `{ top }` (best first), or
   * `{ error }` for a picture that could not be decoded or gave non-finite logits. The others are
   * still classified (a batch job's view; classify() throws instead). An NCHW tensor of N rows
   * gives N results.
   */
  async classifyEach(images: ImageInput | readonly ImageInput[], options: ClassifyOptions = {}): Promise<ClassifyResult[]> {
    if (this.info.config.num_classes === 0) throw new SwinError('INVALID_ARGUMENT', 'this model has no classification head (num_classes 0): use features() or run(input, ["pooled"])');
    const k = options.topk ?? 5;
    if (!Number.isInteger(k) || k < 1) throw new SwinError('INVALID_ARGUMENT', `topk must be a positive integer, found ${k}`);
    const labels = this.info.labels;
    const label = (i: number): string => labels?.[i] ?? `class ${i}`;
    const results: { picture: number; result: ClassifyResult }[] = [];
    const total = Array.isArray(images) ? images.length : 1;
    let done = 0;
    const onBadPicture = (picture: number, error: SwinError): void => {
      results.push({ picture, result: { error } });
      options.onProgress?.(++done, total);
    };
    for await (const { input, pictures } of this.batches(images, options.batchSize ?? 8, onBadPicture)) {
      const logits = outputOf(await this.run(input, ['logits']), 'logits');
      const classes = dimAt(logits.shape, 1, 'logits');
      const data = toFloat32(logits).data;
      pictures.forEach((picture, row) => {
        let result: ClassifyResult;
        try {
          result = { top: topK(data.subarray(row * classes, (row + 1) * classes), Math.min(k, classes), label) };
        } catch (err) {
          if (!(err instanceof SwinError)) throw err;
          result = { error: err };
        }
        results.push({ picture, result });
      });
      done += new Set(pictures).size;
      options.onProgress?.(done, total);
    }
    // Bad pictures were reported as they were met: put everything back in the caller's order (stable for tensor rows).
    return results.map((r, i) => ({ ...r, i })).sort((a, b) => a.picture - b.picture || a.i - b.i).map((r) => r.result);
  }

  /** The top classes of each picture: one list per picture, best first, `{ label, score, index, logit }`. The first bad picture is thrown. */
  async classify(images: ImageInput | readonly ImageInput[], options: ClassifyOptions = {}): Promise<ClassScore[][]> {
    return (await this.classifyEach(images, options)).map((r) => {
      if ('error' in r) throw r.error;
      return r.top;
    });
  }

  /**
   * Multi-scale stage maps, as a detection or segmentation neck takes them: one tensor per stage
   * (all pictures batched), NCHW by default, NHWC on request.
   */
  async features(images: ImageInput | readonly ImageInput[], options: FeaturesOptions = {}): Promise<TensorData<'float32'>[]> {
    const depth = this.info.config.depths.length;
    const stages = options.stages ?? Array.from({ length: depth }, (_, i) => i);
    for (const s of stages) if (!Number.isInteger(s) || s < 0 || s >= depth) throw new SwinError('INVALID_ARGUMENT', `features: stage ${s} does not exist: expected 0..${depth - 1}`);
    const layout = options.layout ?? 'NCHW';
    if (layout !== 'NCHW' && layout !== 'NHWC') throw new SwinError('INVALID_ARGUMENT', `features: layout must be NCHW or NHWC, found ${String(layout)}`);
    const names = stages.map((s) => `stage${s}`);
    const parts = names.map((name): { name: string; chunks: TensorData<'float32'>[] } => ({ name, chunks: [] }));
    for await (const { input } of this.batches(images, 8)) {
      const result = await this.run(input, names);
      for (const p of parts) p.chunks.push(toFloat32(outputOf(result, p.name)));
    }
    return parts.map(({ chunks }) => {
      const nhwc = concatBatch(chunks);
      return layout === 'NHWC' ? nhwc : nhwcToNchw(nhwc);
    });
  }

  /** Frees compiled graphs, and the backend when loadModel created it. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const exe of this.compiled.values()) await exe.then((e) => e.dispose(), () => undefined);
    this.compiled.clear();
    if (this.parts.ownsBackend) await this.parts.backend.dispose();
  }
}

function concatBatch(chunks: readonly TensorData<'float32'>[]): TensorData<'float32'> {
  const [first] = chunks;
  if (!first) throw new SwinError('INVALID_ARGUMENT', 'features: no pictures to concatenate');
  if (chunks.length === 1) return first;
  const rest = first.shape.slice(1);
  const n = chunks.reduce((s, c) => s + dimAt(c.shape, 0, 'stage map'), 0);
  const data = new Float32Array(chunks.reduce((s, c) => s + c.data.length, 0));
  let offset = 0;
  for (const c of chunks) {
    data.set(c.data, offset);
    offset += c.data.length;
  }
  return { dtype: 'float32', shape: [n, ...rest], data };
}

function nhwcToNchw(t: TensorData<'float32'>): TensorData<'float32'> {
  const [n, h, w, c] = dimsOf(t.shape, 4, 'stage map');
  const src = t.data;
  const out = new Float32Array(src.length);
  // src holds n * h * w * c values (an NHWC tensor of that shape): s + ch stays inside it.
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const s = ((b * h + y) * w + x) * c;
        for (let ch = 0; ch < c; ch++) out[((b * c + ch) * h + y) * w + x] = src[s + ch]!;
      }
  return { dtype: 'float32', shape: [n, c, h, w], data: out };
}
