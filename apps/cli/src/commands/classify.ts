import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildModelGraph, toFloat32, officialPreprocessSpec, parsePreprocessSpec, preprocessImages, type PreprocessSpec, type RgbImage } from '@swin/core';
import { parseCommandArgs, parsePositiveInt } from '../args.js';
import { openBackend, parseBackendName } from '../backends.js';
import { describeError, UsageError } from '../cli-errors.js';
import { classLabels } from '../class-labels.js';
import { decodeImageFile } from '../decode-image.js';
import { defaultModelDir } from '../default-model.js';
import { loadModel } from '../load-model.js';
import { createProgress } from '../progress.js';
import { topK } from '@swin/pipeline';

export const CLASSIFY_HELP = `swin classify <images...> [--weights W] [--backend auto|reference|tfjs|tfjs-wasm|onnx|webgpu]
              [--top k] [--batch n] [--labels classes.json] [--json]

Classifies JPEG / PNG / WebP pictures. Preprocessing is the official evaluation's: the short side
resized to size*256/224 (Pillow-compatible bicubic), a centre crop, ImageNet mean/std (or the
preprocess.json beside the weights). Without --weights it uses the bundled default model (a small
Swin trained on synthetic shapes; see models/default). Class names come from --labels, the
checkpoint's metadata, a classes.json beside it, or ImageNet-1k for 1000-class heads.
A picture that cannot be decoded gets an error line; the others are still classified, and the
exit code is 1.`;

/** The preprocessing a checkpoint asks for: preprocess.json beside it, else the official recipe at its size. */
function preprocessSpecFor(weightsPath: string, imgSize: number | readonly [number, number]): PreprocessSpec {
  const file = join(dirname(weightsPath), 'preprocess.json');
  if (existsSync(file)) return parsePreprocessSpec(JSON.parse(readFileSync(file, 'utf8')));
  const [h, w] = typeof imgSize === 'number' ? [imgSize, imgSize] : imgSize;
  if (h !== w) throw new UsageError(`the official preprocessing is for square inputs; this model takes ${h}x${w}: add a preprocess.json beside the weights`);
  return officialPreprocessSpec(h);
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
  const backendName = parseBackendName(values.backend);
  const weightsSpec = values.weights ?? join(defaultModelDir(), 'weights.safetensors');
  const model = await loadModel(weightsSpec, values.config);
  if (model.config.num_classes === 0) throw new UsageError(`${weightsSpec} has no classification head (num_classes 0): use swin run --outputs pooled`);
  const label = classLabels(model.config.num_classes, model.path, model.metadata, values.labels);
  const spec = preprocessSpecFor(model.path, model.config.img_size);
  const built = buildModelGraph(model.config, model.weights, { inputSize: [spec.inputSize[0], spec.inputSize[1]], outputs: ['logits'] });
  const backend = await openBackend(backendName);
  const results: Result[] = [];
  const progress = createProgress(`classify (${backend.name})`, values.json);
  try {
    const exe = await backend.compile(built.graph);
    for (let start = 0; start < positionals.length; start += batchSize) {
      const files = positionals.slice(start, start + batchSize);
      const decoded: { file: string; image: RgbImage }[] = [];
      for (const file of files) {
        try {
          decoded.push({ file, image: await decodeImageFile(file) });
        } catch (err) {
          results.push({ file, error: describeError(err).replace(/^swin: (error )?/, '') });
        }
      }
      if (decoded.length > 0) {
        const input = preprocessImages(decoded.map((d) => d.image), spec);
        const logits = (await exe.run({ input }))['logits']!;
        const k = model.config.num_classes;
        const data = toFloat32(logits).data;
        decoded.forEach((d, i) => {
          // one top-k for the repo: softmax in float64, non-finite logits an error (never "NaN%")
          const row = topK(data.subarray(i * k, (i + 1) * k), Math.min(top, k), label);
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
