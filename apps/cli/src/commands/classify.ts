import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildModelGraph, normalizeToTensor, officialPreprocessSpec, parsePreprocessSpec, resizeAndCrop, SwinError, toFloat32, withAllocationScope, type PreprocessSpec, type RgbImage } from '@swin/core';
import { parseCommandArgs, parsePositiveInt } from '../args.js';
import { openBackend, parseBackendName } from '../backends.js';
import { describeError, usage, UsageError } from '../cli-errors.js';
import { classLabels } from '../class-labels.js';
import { decodeImageFile } from '../decode-image.js';
import { defaultModelDir } from '../default-model.js';
import { ALLOW_NON_FINITE_FLAG, ALLOW_NON_FINITE_HELP, loadModel } from '../load-model.js';
import { readJsonFile } from '../input-files.js';
import { createProgress } from '../progress.js';
import { topK } from '@swin/pipeline';
import { pictureMaxPixels } from '../resource-limits.js';

export const CLASSIFY_HELP = `swin classify <images...> [--weights W] [--backend auto|reference|tfjs|tfjs-wasm|onnx|webgpu]
              [--top k] [--batch n] [--labels classes.json] [--json]

Classifies JPEG / PNG / WebP pictures. Preprocessing is the official evaluation's: the short side
resized to size*256/224 (Pillow-compatible bicubic), a centre crop, ImageNet mean/std (or the
preprocess.json beside the weights). Without --weights it uses the bundled default model (a small
Swin trained on synthetic shapes; see models/default). Class names come from --labels, the
checkpoint's metadata, a classes.json beside it, or ImageNet-1k for 1000-class heads.
A picture that cannot be decoded gets an error line; the others are still classified, and the
exit code is 1.
${ALLOW_NON_FINITE_HELP}`;

/** The preprocessing a checkpoint asks for: preprocess.json beside it, else the official recipe at its size. */
function preprocessSpecFor(weightsPath: string, imgSize: number | readonly [number, number]): PreprocessSpec {
  const file = join(dirname(weightsPath), 'preprocess.json');
  if (existsSync(file)) return usageOfFile(file, () => parsePreprocessSpec(readJsonFile(file, 'preprocessing')));
  const [h, w] = typeof imgSize === 'number' ? [imgSize, imgSize] : imgSize;
  if (h !== w) throw new UsageError(`the official preprocessing is for square inputs; this model takes ${h}x${w}: add a preprocess.json beside the weights`);
  return officialPreprocessSpec(h);
}

/** Errors about a file's content name the file. */
function usageOfFile<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof SwinError && !err.message.includes(file)) throw new SwinError(err.code, `${file}: ${err.message}`);
    throw err;
  }
}

interface Result {
  readonly file: string;
  readonly top?: { index: number; label: string; probability: number; logit: number }[];
  readonly error?: string;
}

/** `swin classify`. */
export async function classifyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      weights: { type: 'string' },
      config: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      top: { type: 'string', default: '5' },
      batch: { type: 'string', default: '8' },
      labels: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      ...ALLOW_NON_FINITE_FLAG,
    },
    true,
  );
  if (values.help) {
    console.log(CLASSIFY_HELP);
    return;
  }
  if (positionals.length === 0) throw new UsageError('classify needs at least one image path');
  const top = parsePositiveInt(values.top, 'top');
  const batchSize = parsePositiveInt(values.batch, 'batch');
  const backendName = usage('--backend', () => parseBackendName(values.backend));
  const weightsSpec = values.weights ?? join(defaultModelDir(), 'weights.safetensors');
  const model = await loadModel(weightsSpec, values.config, { allowNonFinite: values['allow-non-finite'] });
  if (model.config.num_classes === 0) throw new UsageError(`${weightsSpec} has no classification head (num_classes 0): use swin run --outputs pooled`);
  const label = classLabels(model.config.num_classes, model.path, model.metadata, values.labels);
  const spec = preprocessSpecFor(model.path, model.config.img_size);
  const built = withAllocationScope('building the model graph', () =>
    buildModelGraph(model.config, model.weights, { inputSize: [spec.inputSize[0], spec.inputSize[1]], outputs: ['logits'] }),
  );
  const maxPixels = pictureMaxPixels();
  const backend = await openBackend(backendName);
  const results: Result[] = [];
  const progress = createProgress(`classify (${backend.name})`, values.json);
  try {
    const exe = await backend.compile(built.graph);
    for (let start = 0; start < positionals.length; start += batchSize) {
      const files = positionals.slice(start, start + batchSize);
      // One picture at a time is decoded at full size and cut down to the model's input at once,
      // so a batch holds only input-sized pieces, whatever the pictures' sizes.
      const decoded: { file: string; image: RgbImage }[] = [];
      for (const file of files) {
        try {
          decoded.push({ file, image: resizeAndCrop(await decodeImageFile(file, maxPixels), spec) });
        } catch (err) {
          results.push({ file, error: describeError(err).replace(/^swin: (error )?/, '') });
        }
      }
      if (decoded.length > 0) {
        const input = normalizeToTensor(decoded.map((d) => d.image), spec.mean, spec.std);
        const logits = (await exe.run({ input }))['logits']!;
        const k = model.config.num_classes;
        const data = toFloat32(logits).data;
        decoded.forEach((d, i) => {
          // one top-k for the repo: softmax in float64; non-finite logits are an error for that picture (never "NaN%")
          let row;
          try {
            row = topK(data.subarray(i * k, (i + 1) * k), Math.min(top, k), label);
          } catch (err) {
            results.push({ file: d.file, error: describeError(err).replace(/^swin: (error )?/, '') });
            return;
          }
          results.push({ file: d.file, top: row.map((e) => ({ index: e.index, label: e.label, probability: e.score, logit: e.logit })) });
        });
      }
      progress.update(Math.min(start + batchSize, positionals.length), positionals.length);
    }
    exe.dispose();
  } finally {
    progress.stop();
    await backend.dispose();
  }
  const order = new Map(positionals.map((f, i) => [f, i]));
  results.sort((a, b) => order.get(a.file)! - order.get(b.file)!);
  if (values.json) console.log(JSON.stringify({ weights: model.path, backend: backend.name, results }, null, 2));
  else {
    for (const r of results) {
      if (r.error) {
        console.error(`${r.file}: error: ${r.error}`);
        continue;
      }
      console.log(`${r.file}: ${r.top![0]!.label} (${(100 * r.top![0]!.probability).toFixed(1)}%)`);
      for (const e of r.top!.slice(1)) console.log(`    ${e.label} (${(100 * e.probability).toFixed(1)}%)`);
    }
  }
  if (results.some((r) => r.error)) process.exitCode = 1;
}
