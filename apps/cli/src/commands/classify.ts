import { join } from 'node:path';
import { loadModel, parseLabelList, PIXEL_LIMIT_HINT } from '@swin/pipeline';
import { parseCommandArgs, parsePositiveInt } from '../args.js';
import { parseBackendName, requireBackendPackages } from '../backends.js';
import { describeError, usage, UsageError } from '../cli-errors.js';
import { ALLOW_NON_FINITE_FLAG, ALLOW_NON_FINITE_HELP, readConfigOverrides } from '../config-flags.js';
import { defaultModelDir } from '../default-model.js';
import { readInputFile } from '../input-files.js';
import { createProgress } from '../progress.js';
import { pictureMaxPixels } from '../resource-limits.js';

export const CLASSIFY_HELP = `swin classify <images...> [--weights W] [--backend auto|reference|tfjs|tfjs-wasm|onnx|webgpu]
              [--top k] [--batch n] [--labels classes.json] [--json]

Classifies JPEG / PNG / WebP pictures. Preprocessing is the official evaluation's: the short side
resized to size*256/224 (Pillow-compatible bicubic), a centre crop, ImageNet mean/std (or the
preprocess.json beside the weights). Without --weights it uses the bundled default model (a small
Swin trained on synthetic shapes; see models/default). W is a checkpoint file or a Hugging Face
model folder (config.json + model.safetensors or pytorch_model.bin: its image_size is the input
size; its preprocessor_config.json, when there is one, is the preprocessing: transformers'
ViTImageProcessor, a straight bicubic resize to its size, rescale, its mean/std). Class names come from --labels, the checkpoint's metadata, a folder's id2label or a
classes.json beside it, or ImageNet-1k for 1000-class heads.
A picture that cannot be decoded gets an error line; the others are still classified, and the
exit code is 1.
${ALLOW_NON_FINITE_HELP}`;

/** A picture's error as its result line shows it: without the `swin: error` prefix, naming the CLI's flag for the pixel limit. */
function pictureError(err: unknown): string {
  return describeError(err).replace(/^swin: (error )?/, '').replace(PIXEL_LIMIT_HINT, 'raise it with --max-pixels N or SWIN_MAX_PIXELS');
}

type Result = { readonly file: string; readonly top: { index: number; label: string; probability: number; logit: number }[] } | { readonly file: string; readonly error: string };

/** `swin classify`. */
export async function classifyCommand(argv: string[]): Promise<void> {
  const args = parseCommandArgs(
    argv,
    CLASSIFY_HELP,
    {
      weights: { type: 'string' },
      config: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      top: { type: 'string', default: '5' },
      batch: { type: 'string', default: '8' },
      labels: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...ALLOW_NON_FINITE_FLAG,
    },
    true,
  );
  if (!args) return;
  const { values, positionals } = args;
  if (positionals.length === 0) throw new UsageError('classify needs at least one image path');
  const top = parsePositiveInt(values.top, 'top');
  const batchSize = parsePositiveInt(values.batch, 'batch');
  const backendName = usage('--backend', () => parseBackendName(values.backend));
  requireBackendPackages(backendName);
  const weightsSpec = values.weights ?? join(defaultModelDir(), 'weights.safetensors');
  const labels = values.labels ? parseLabelList(new TextDecoder().decode(readInputFile(values.labels, 'class names')), values.labels) : undefined;
  // @swin/pipeline loads it: a path (with classes.json / preprocess.json beside it), a variant name
  // (downloaded once into the `swin fetch` cache), a URL or hf:<repo>; labels and preprocessing as
  // the checkpoint asks. Compiled on the first batch.
  const model = await loadModel(weightsSpec, {
    backend: backendName,
    config: readConfigOverrides(values.config),
    ...(labels ? { labels } : {}),
    allowNonFinite: values['allow-non-finite'],
    maxPixels: pictureMaxPixels(),
    warmup: false,
  });
  const results: Result[] = [];
  try {
    if (model.info.config.num_classes === 0) throw new UsageError(`${weightsSpec} has no classification head (num_classes 0): use swin run --outputs pooled`);
    const progress = createProgress(`classify (${model.info.backend})`, values.json);
    try {
      // One result per picture: a picture that cannot be decoded (or gives non-finite logits) gets an error, the others are classified.
      const each = await model.classifyEach(positionals, { topk: top, batchSize, onProgress: (done, total) => progress.update(done, total) });
      // classifyEach gives one result per picture, in order (a path is one picture): i < positionals.length.
      each.forEach((r, i) => {
        const file = positionals[i]!;
        if ('error' in r) results.push({ file, error: pictureError(r.error) });
        else results.push({ file, top: r.top.map((e) => ({ index: e.index, label: e.label, probability: e.score, logit: e.logit })) });
      });
    } finally {
      progress.stop();
    }
  } finally {
    await model.dispose();
  }
  if (values.json) console.log(JSON.stringify({ weights: model.info.source, backend: model.info.backend, results }, null, 2));
  else {
    for (const r of results) {
      if ('error' in r) {
        console.error(`${r.file}: error: ${r.error}`);
        continue;
      }
      // The best class on the picture's line, the others indented below it.
      r.top.forEach((e, rank) => console.log(`${rank === 0 ? `${r.file}:` : '   '} ${e.label} (${(100 * e.probability).toFixed(1)}%)`));
    }
  }
  if (results.some((r) => 'error' in r)) process.exitCode = 1;
}
